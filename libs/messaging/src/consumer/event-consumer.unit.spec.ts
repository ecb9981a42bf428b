import { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { Registry } from 'prom-client';
import { DEAD_LETTER_REASONS } from './dead-letter';
import { EventConsumer } from './event-consumer';

/**
 * A counter series that first appears at 1 has no increase() in Prometheus: the first dead letter of a pod
 * would raise no alert (NqpfDeadLettered). A consumer exposes its counters at 0 from the start.
 */
describe('EventConsumer metrics before any record', () => {
  // Never connected: the constructor only builds clients.
  const kafka = new Kafka({ clientId: 'metrics-unit', brokers: ['127.0.0.1:1'] });
  const topics = ['nqpf.review.events', 'nqpf.finance.events'];

  async function series(registry: Registry, name: string) {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
    return (metric?.values ?? []).map(({ labels, value }) => ({ ...labels, value }));
  }

  function consumerOn(registry: Registry, groupId: string) {
    return new EventConsumer({
      kafka,
      groupId,
      topics,
      pool: {} as Pool,
      handle: async () => undefined,
      registry,
    });
  }

  it('exposes nqpf_consumer_dead_lettered_total at 0 for each topic and every reason', async () => {
    const registry = new Registry();
    consumerOn(registry, 'nqpf.assessment.review');
    const expected = topics.flatMap((topic) =>
      DEAD_LETTER_REASONS.map((reason) => ({ group: 'nqpf.assessment.review', topic, reason, value: 0 })),
    );
    expect(await series(registry, 'nqpf_consumer_dead_lettered_total')).toEqual(
      expect.arrayContaining(expected),
    );
    expect(await series(registry, 'nqpf_consumer_dead_lettered_total')).toHaveLength(expected.length);
  });

  it('exposes its other counters at 0 for each topic, per group, in a shared registry', async () => {
    const registry = new Registry();
    consumerOn(registry, 'group-a');
    consumerOn(registry, 'group-b');
    for (const name of [
      'nqpf_consumer_handled_total',
      'nqpf_consumer_duplicates_total',
      'nqpf_consumer_failed_attempts_total',
      'nqpf_consumer_waits_total',
    ]) {
      const values = await series(registry, name);
      expect(values).toHaveLength(4);
      for (const group of ['group-a', 'group-b'])
        for (const topic of topics) expect(values).toContainEqual({ group, topic, value: 0 });
    }
    // The lag is per partition, known only once assigned: no series is made up for it.
    expect(await series(registry, 'nqpf_consumer_lag')).toEqual([]);
  });

  it('names every reason the consumer dead-letters with', () => {
    expect([...DEAD_LETTER_REASONS].sort()).toEqual([
      'handler-failed',
      'invalid',
      'unknown-type',
      'unparseable',
    ]);
  });
});
