/*
 * Example downstream consumer: keeps a CSV of recognised centers up to date from nqpf.review.events
 * (review.center-recognized → a row) and nqpf.assessment.events (assessment.center-revoked → marked revoked);
 * every other type on them is passed over, the first event of each type logged.
 *
 *   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register examples/recognised-centers-csv.ts
 *
 * Environment: KAFKA_BROKERS (default: the local stack's broker, 127.0.0.1 on the port `npm start` used —
 * .local/run/ports.env, else deploy/config.env's 19092) and, for a secured cluster, the services' own
 * KAFKA_TLS, KAFKA_TLS_CA_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD
 * (docs/operations.md); CSV_PATH (default recognised-centers.csv), GROUP_ID (default recognised-centers-csv),
 * TOPIC_PREFIX (default nqpf), IDLE_EXIT_MS (for batch runs: exit once caught up with the topics as they
 * were at start and idle that long; default: run until SIGINT/SIGTERM).
 *
 * Delivery is at least once and the two topics are read independently, so applying an event is idempotent
 * and order-independent across topics (see recognised-centers-rows.ts). The CSV is written atomically and
 * flushed to disk, its directory's rename too (write-atomically.ts), before the offset is committed: a crash
 * or a power cut re-reads events, never loses them. Without the
 * CSV (a new machine, or deleted to rebuild) the group's offsets are reset to the start, so the file is
 * rebuilt from every event, not continued from where another file left off. A stop at an event it cannot
 * apply leaves the consumer group first, so the next run starts at once, not after the session timeout.
 */
import { serviceTopic } from '@nqpf/contracts';
import { createKafka, fromWire, parseBrokers } from '@nqpf/messaging';
import { kafkaConfigSpec, kafkaSecurityOf, loadConfig, localKafkaBrokers } from '@nqpf/platform';
import { existsSync, readFileSync } from 'node:fs';
import { applyEvent, type CenterRows, fromCsv, PassedOverTypes, toCsv } from './recognised-centers-rows';
import { writeAtomically } from './write-atomically';

const brokers = parseBrokers(process.env.KAFKA_BROKERS || localKafkaBrokers());
const csvPath = process.env.CSV_PATH ?? 'recognised-centers.csv';
const groupId = process.env.GROUP_ID ?? 'recognised-centers-csv';
const prefix = process.env.TOPIC_PREFIX ?? 'nqpf';
const idleExitMs = process.env.IDLE_EXIT_MS ? Number(process.env.IDLE_EXIT_MS) : undefined;
const topics = [serviceTopic('review', prefix), serviceTopic('assessment', prefix)];

async function main(): Promise<void> {
  const rebuild = !existsSync(csvPath);
  let rows: CenterRows = rebuild ? new Map() : fromCsv(readFileSync(csvPath, 'utf8'));

  // The services' own variables (docs/operations.md), TLS and SASL included.
  const kafkaConfig = loadConfig(kafkaConfigSpec, { ...process.env, KAFKA_BROKERS: brokers.join(',') });
  const kafka = createKafka('recognised-centers-csv', brokers, kafkaSecurityOf(kafkaConfig));
  // Where the topics end now, and where the group stands: a batch run is done once it has read up to there.
  const admin = kafka.admin();
  await admin.connect();
  const position = new Map<string, bigint>();
  const end = new Map<string, bigint>();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) throw new MissingTopicsError(missing);
    if (rebuild) {
      // The group's offsets belong to the file that is gone: start again from every event. The file is
      // written only once they are reset: a run that failed before would otherwise leave a file that makes
      // the next run continue from the old offsets.
      for (const topic of topics) await admin.resetOffsets({ groupId, topic, earliest: true });
      writeAtomically(csvPath, toCsv(rows));
      console.log(`no ${csvPath}: reading every event from the start`);
    }
    for (const topic of topics)
      for (const p of await admin.fetchTopicOffsets(topic)) {
        end.set(`${topic}:${p.partition}`, BigInt(p.high));
        position.set(`${topic}:${p.partition}`, BigInt(p.low));
      }
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics }))
      for (const p of partitions)
        // Negative: none committed (-1), or a reset to the start not yet taken up (-2).
        if (BigInt(p.offset) >= 0n) position.set(`${topic}:${p.partition}`, BigInt(p.offset));
  } finally {
    await admin.disconnect();
  }
  const caughtUp = () => [...end].every(([key, high]) => (position.get(key) ?? 0n) >= high);

  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });

  let lastMessageAt = Date.now();
  const passedOver = new PassedOverTypes();
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
      // Other types are passed over, each logged the first time (docs/contracts: never silently).
      const passed = passedOver.note(at, envelope, applied);
      if (passed) console.log(passed);
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
      const next = BigInt(message.offset) + 1n;
      await consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
      position.set(`${topic}:${partition}`, next);
    },
  });

  if (idleExitMs !== undefined) {
    const timer = setInterval(() => {
      // Idle alone is not done: a slow broker or a long rebalance is idle too, and exit 0 would pass off a
      // partial file as whole.
      if (caughtUp() && Date.now() - lastMessageAt >= idleExitMs) {
        clearInterval(timer);
        console.log(`caught up and idle for ${idleExitMs} ms: ${rows.size} centers in ${csvPath}`);
        void stop(0);
      }
    }, 200);
  }
}

/** The services create their topics when they first start: before that there is nothing to read. */
class MissingTopicsError extends Error {
  constructor(topics: string[]) {
    super(
      `no topic ${topics.join(', ')} on ${brokers.join(',')}: the services create their topics when they start ` +
        '(npm start locally); check TOPIC_PREFIX and KAFKA_BROKERS',
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof MissingTopicsError ? err.message : err);
  process.exit(1);
});
