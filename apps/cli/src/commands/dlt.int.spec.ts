import { type EventEnvelope, uuidv7 } from '@nqpf/contracts';
import { createKafka, DeadLetterPublisher, fromWire, replayTopics, toWire } from '@nqpf/messaging';
import { createTestTopics, testInfra, uniqueName } from '@nqpf/testing';
import { runCaptured } from '../run-captured.spec-helper';
import * as dlt from './dlt';

jest.setTimeout(60_000);

/** The dead-letter runbook's tool against the real broker: list a group's dead letters, produce one back. */
describe('nqpf dlt', () => {
  const topic = uniqueName('dlt_original');
  const group = `${uniqueName('nqpf')}.finance.consumer.grants`;
  const kafka = createKafka(uniqueName('dlt-test'), testInfra().kafkaBrokers);
  const now = new Date().toISOString();
  const envelope: EventEnvelope = {
    id: uuidv7(),
    type: 'assessment.assessment-completed',
    schemaVersion: 1,
    streamId: 'center-1',
    streamVersion: 3,
    position: '42',
    occurredAt: now,
    recordedAt: now,
    correlationId: uuidv7(),
    causationId: null,
    actor: { id: 'bureau-1', role: 'city_bureau' },
    centerId: 'center-1',
    payload: { year: 2026 },
    previousHash: null,
    hash: 'h',
  };
  let saved: NodeJS.ProcessEnv;

  beforeAll(async () => {
    saved = { ...process.env };
    process.env.KAFKA_BROKERS = testInfra().kafkaBrokers.join(',');
    await createTestTopics([topic], 1);
    const wire = toWire(envelope);
    const publisher = new DeadLetterPublisher(kafka, group);
    try {
      await publisher.publish(
        {
          topic,
          partition: 0,
          offset: '7',
          key: Buffer.from(wire.key),
          value: wire.value,
          headers: wire.headers,
          timestamp: String(Date.now()),
        },
        {
          reason: 'handler-failed',
          error: 'relation "grants" does not exist\nat …',
          attempts: 5,
          failedAt: new Date(),
        },
      );
    } finally {
      await publisher.disconnect();
    }
  });

  afterAll(() => {
    process.env = saved;
  });

  it('lists each dead letter: where it came from, the event, why', async () => {
    const { code, output } = await runCaptured(dlt, ['list', '--group', group]);
    expect(output).toContain(
      `offset 0: from ${topic} partition 0 offset 7, event ${envelope.id} assessment.assessment-completed, ` +
        'handler-failed after 5 attempts at',
    );
    expect(output).toContain(': relation "grants" does not exist\n1 dead letters');
    expect(code).toBe(0);
  });

  it('produces a chosen dead letter back to its topic with its key and headers, the dead-letter ones left off', async () => {
    const { code, output } = await runCaptured(dlt, ['redeliver', '--group', group, '--offset', '0']);
    expect(output).toContain(`redelivered offset 0: from ${topic}`);
    expect(code).toBe(0);
    const read: { key: string; headers: string[]; id: string }[] = [];
    await replayTopics({
      kafka,
      topics: [topic],
      groupPrefix: `${group}.check.`,
      handleBatch: async (records) => {
        for (const r of records)
          read.push({
            key: r.key?.toString() ?? '',
            headers: Object.keys(r.headers).sort(),
            id: fromWire(r.value).id,
          });
      },
    });
    const wire = toWire(envelope);
    expect(read).toEqual([{ key: wire.key, headers: Object.keys(wire.headers).sort(), id: envelope.id }]);
  });

  it('refuses an offset the dead-letter topic does not hold, or none, with exit 2', async () => {
    expect((await runCaptured(dlt, ['redeliver', '--group', group, '--offset', '9'])).code).toBe(2);
    expect((await runCaptured(dlt, ['redeliver', '--group', group])).code).toBe(2);
    expect((await runCaptured(dlt, ['list', '--group', 'bad group'])).code).toBe(2);
  });

  it('names a group without a dead-letter topic at once, with the groups that have one, and exit 2', async () => {
    const started = Date.now();
    const misspelt = await runCaptured(dlt, ['list', '--group', `${group}s`]);
    expect(misspelt.code).toBe(2);
    expect(misspelt.output).toContain(`--group: no dead-letter topic ${group}s.dlt`);
    expect(misspelt.output).toMatch(
      new RegExp(`groups with one: .*${group.replaceAll('.', '\\.')}(,|\\n| )`),
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
