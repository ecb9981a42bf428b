import fc from 'fast-check';
import { Kafka } from 'kafkajs';
import request from 'supertest';
import { deadLetterTopic, serviceTopic } from '@nqpf/contracts';
import { createKafka } from '@nqpf/messaging';
import {
  createTestTopics,
  eventually,
  ServiceUnderTest,
  startService,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { ALL_SERVICES } from './services';

/**
 * Malformed records on a topic a service consumes (review's, read by finance) are dead-lettered with their
 * original bytes, the consumer moves past them, and the service stays healthy. Garbage: random bytes,
 * broken and non-object JSON, objects that are no envelope, envelopes whose payload breaks the contract.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describe(`malformed Kafka records (FUZZ_SEED=${SEED})`, () => {
  const environment = testEnvironment(uniqueName('kfuzz'));
  const prefix = environment.topicPrefix;
  const reviewTopic = serviceTopic('review', prefix);
  const group = `${prefix}.finance.recognitions`;
  let finance: ServiceUnderTest;
  let kafka: Kafka;

  beforeAll(async () => {
    await createTestTopics([reviewTopic, serviceTopic('assessment', prefix)], 1);
    finance = await startService(
      'finance',
      environment,
      ALL_SERVICES.find((s) => s.name === 'finance')!.build,
    );
    kafka = createKafka('nqpf-fuzz', testInfra().kafkaBrokers);
  }, 60000);

  afterAll(async () => {
    await finance?.close();
  });

  it('dead-letters every malformed record on the review topic, keeps consuming, and stays healthy', async () => {
    const garbage: (Buffer | null)[] = [
      null,
      Buffer.from(''),
      Buffer.from('{'),
      Buffer.from('[1,2,3]'),
      Buffer.from('"an envelope?"'),
      Buffer.from('42'),
      Buffer.from('{"hello":"world"}'),
      Buffer.from('{"__proto__":{"polluted":true},"type":"review.center-recognized"}'),
      Buffer.from(
        JSON.stringify({
          id: 'not-a-uuid',
          type: 'review.center-recognized',
          schemaVersion: 1,
          streamId: 's',
          payload: { centerId: 7, supportYears: 'many' },
        }),
      ),
      Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x00]),
      Buffer.alloc(200 * 1024, 0x7b),
      ...fc
        .sample(fc.uint8Array({ minLength: 1, maxLength: 200 }), { numRuns: 10, seed: SEED })
        .map(Buffer.from),
    ];
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: reviewTopic,
      messages: garbage.map((value, i) => ({ key: `garbage-${i}`, value })),
    });
    await producer.disconnect();

    const dead = await eventually(async () => {
      const offsets = await deadLetteredOffsets(kafka, deadLetterTopic(group));
      expect(offsets.size).toBe(garbage.length);
      return offsets;
    }, 30000);
    expect([...dead].sort((a, b) => a - b)).toEqual(garbage.map((_, i) => i));

    await eventually(async () => {
      const admin = kafka.admin();
      await admin.connect();
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [reviewTopic] });
      await admin.disconnect();
      expect(Number(committed.partitions[0].offset)).toBe(garbage.length);
    });
    const health = await request(finance.app.getHttpServer()).get('/health').expect(200);
    expect(JSON.stringify(health.body)).not.toContain('down');
    const events = await finance.db.pool.query(`select count(*)::int as n from event_store.events`);
    expect(events.rows[0].n).toBe(0);
  }, 60000);
});

/** The original offsets of the records on a dead-letter topic, read from its headers. */
async function deadLetteredOffsets(kafka: Kafka, topic: string): Promise<Set<number>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).catch(() => []);
  await admin.disconnect();
  const total = ends.reduce((n, p) => n + Number(p.high), 0);
  const offsets = new Set<number>();
  if (total === 0) return offsets;
  const consumer = kafka.consumer({ groupId: uniqueName('dlt-reader') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        offsets.add(Number(message.headers?.['nqpf-dlt-original-offset']?.toString()));
        if (++seen >= total) resolve();
      },
    });
  });
  await consumer.disconnect();
  return offsets;
}
