/**
 * Run as a child process by outbox-relay.crash.int.spec.ts: a relay whose publisher, once Kafka has
 * acknowledged the first batch, hangs before the rows are marked published, so the parent can SIGKILL
 * it in exactly that window. Env: DATABASE_URL, KAFKA_BROKERS, STORE_SCHEMA, BATCH_SIZE.
 */
import { Pool } from 'pg';
import { createKafka, KafkaEventPublisher, type EventPublisher } from '@nqpf/messaging';
import { OutboxRelay } from './outbox-relay';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 2 });
const kafka = new KafkaEventPublisher(createKafka('es-crash-child', env('KAFKA_BROKERS').split(',')));
const hangsAfterAck: EventPublisher = {
  async publish(topic, messages) {
    await kafka.publish(topic, messages);
    process.stdout.write(`ACKED ${messages.length}\n`);
    await new Promise(() => undefined);
  },
  disconnect: () => kafka.disconnect(),
};

new OutboxRelay({
  pool,
  publisher: hangsAfterAck,
  schema: env('STORE_SCHEMA'),
  batchSize: Number(env('BATCH_SIZE')),
  onError: (err) => process.stderr.write(`${String(err)}\n`),
}).start();
