// A consumer process that dies (SIGKILL) right after the database commit of an event whose payload says
// so, before its offset is committed. Run by crash-recovery.int.spec.ts in a child process.
import { Pool } from 'pg';
import { createKafka } from '../kafka';
import { EventConsumer } from './event-consumer';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const pool = new Pool({ connectionString: env('CRASH_DATABASE_URL') });
const table = env('CRASH_TABLE');
const consumer = new EventConsumer({
  kafka: createKafka('crash-child', env('CRASH_BROKERS').split(',')),
  groupId: env('CRASH_GROUP'),
  topics: [env('CRASH_TOPIC')],
  pool,
  sessionTimeoutMs: 6000,
  handle: async (event, tx) => {
    await tx.query(`insert into ${table} (event_id) values ($1)`, [event.id]);
  },
  afterTransaction: async (event) => {
    if ((event.payload as { crash?: boolean }).crash) process.kill(process.pid, 'SIGKILL');
  },
});
void consumer.start();
