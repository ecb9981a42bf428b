import type { Pool } from 'pg';
import { ident, Projector, Queryable } from './projector';

/**
 * md5 over every read-model table's rows in primary-key order (row text form), then over the per-table
 * digests: equal checksums mean equal models. Runtime tables (checkpoints, versions) are left out, since a
 * rebuild legitimately stops at different offsets than the live model has reached. All tables are read in
 * one snapshot: a live model's tables read either side of a batch would differ from any rebuild.
 */
export async function readModelChecksum(pool: Pool, projector: Projector, schema: string): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const checksum = await checksumIn(client, projector, schema);
    await client.query('commit');
    return checksum;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function checksumIn(db: Queryable, projector: Projector, schema: string): Promise<string> {
  const parts: string[] = [];
  for (const table of projector.tables) {
    const order = table.primaryKey.map((c) => `t.${ident(c)}`).join(', ');
    const { rows } = await db.query(
      `select md5(coalesce(string_agg(t::text, E'\\n' order by ${order}), '')) as digest
         from ${ident(schema)}.${ident(table.name)} t`,
    );
    parts.push(`${table.name}:${rows[0]!.digest as string}`);
  }
  const { rows } = await db.query('select md5($1) as digest', [parts.join(';')]);
  return rows[0]!.digest as string;
}
