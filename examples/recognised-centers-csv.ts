/*
 * Example downstream consumer: keeps a CSV of recognised centers up to date from nqpf.review.events
 * (review.center-recognized → a row) and nqpf.assessment.events (assessment.center-revoked → marked revoked).
 *
 *   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register examples/recognised-centers-csv.ts
 *
 * Environment: KAFKA_BROKERS (default 127.0.0.1:19092), CSV_PATH (default recognised-centers.csv),
 * GROUP_ID (default recognised-centers-csv), TOPIC_PREFIX (default nqpf), IDLE_EXIT_MS (exit after that long
 * without a message, for batch runs; default: run until SIGINT/SIGTERM).
 *
 * Delivery is at least once and the two topics are read independently, so applying an event is idempotent
 * and order-independent across topics (see recognised-centers-rows.ts). The CSV is written (atomically)
 * before the offset is committed: a crash re-reads events, never loses them. A stop at an event it cannot
 * apply leaves the consumer group first, so the next run starts at once, not after the session timeout.
 */
import { serviceTopic } from '@nqpf/contracts';
import { createKafka, fromWire, parseBrokers } from '@nqpf/messaging';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { applyEvent, type CenterRows, fromCsv, toCsv } from './recognised-centers-rows';

const brokers = parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:19092');
const csvPath = process.env.CSV_PATH ?? 'recognised-centers.csv';
const groupId = process.env.GROUP_ID ?? 'recognised-centers-csv';
const prefix = process.env.TOPIC_PREFIX ?? 'nqpf';
const idleExitMs = process.env.IDLE_EXIT_MS ? Number(process.env.IDLE_EXIT_MS) : undefined;

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

async function main(): Promise<void> {
  let rows: CenterRows = existsSync(csvPath) ? fromCsv(readFileSync(csvPath, 'utf8')) : new Map();
  if (!existsSync(csvPath)) writeAtomically(csvPath, toCsv(rows));

  const kafka = createKafka('recognised-centers-csv', brokers);
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({
    topics: [serviceTopic('review', prefix), serviceTopic('assessment', prefix)],
    fromBeginning: true,
  });

  let lastMessageAt = Date.now();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await consumer.disconnect();
    process.exit(code);
  };
  // At an event it cannot apply: commit nothing more (the event is read again on the next run), leave.
  const stopAt = (at: string, problem: string) => {
    console.error(`${at}: ${problem} — stopping here`);
    void stop(1);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  await consumer.run({
    // One message at a time, its offset committed here once the CSV holds it: kafkajs's own commit would
    // also commit the offset of an event this consumer stops at.
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      if (stopping) return;
      lastMessageAt = Date.now();
      const at = `${topic}[${partition}]@${message.offset}`;
      let envelope: ReturnType<typeof fromWire>;
      let applied: ReturnType<typeof applyEvent>;
      try {
        envelope = fromWire(message.value);
        applied = applyEvent(rows, envelope);
      } catch (err) {
        // Never skip an event it cannot read (docs/contracts): stop at it, so the next run starts there once
        // this consumer knows the event. (Thrown, kafkajs would retry it forever.)
        return stopAt(at, (err as Error).message);
      }
      if (applied.changed) {
        try {
          writeAtomically(csvPath, toCsv(applied.rows));
        } catch (err) {
          // Not written, not committed: stop here, so the next run applies this event again.
          return stopAt(at, `cannot write ${csvPath}: ${(err as Error).message}`);
        }
        rows = applied.rows; // only once the file holds them
        console.log(`${at} ${envelope.type} → ${csvPath}`);
      }
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    },
  });

  if (idleExitMs !== undefined) {
    const timer = setInterval(() => {
      if (Date.now() - lastMessageAt >= idleExitMs) {
        clearInterval(timer);
        console.log(`idle for ${idleExitMs} ms: ${rows.size} centers in ${csvPath}`);
        void stop(0);
      }
    }, 200);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
