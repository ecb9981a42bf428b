// The raw baseline of bench/services/throughput.bench.ts: a bare node:http server that parses the JSON
// body and does one PostgreSQL INSERT per POST, then answers 201. No framework, auth, validation or events.
import http from 'node:http';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function main(): Promise<void> {
  await pool.query('create table if not exists raw_commands (id bigserial primary key, body jsonb not null)');
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') return void res.end('{"status":"ok"}');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pool
        .query('insert into raw_commands (body) values ($1) returning id', [
          Buffer.concat(chunks).toString() || '{}',
        ])
        .then(
          (r) => {
            res.writeHead(201, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ id: r.rows[0].id }));
          },
          () => {
            res.writeHead(500);
            res.end();
          },
        );
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
}

void main();
