import type { Pool } from 'pg';
import { createKafka, NotReadyYet } from '@nqpf/messaging';
import { ManualClock } from './clock';
import type { BaseConfig } from './config';
import type { ConsumerHost } from './consumers';
import { PublishedPolicies } from './published-policies';
import type { UnitOfWork } from './unit-of-work';

describe('PublishedPolicies with Kafka unreachable', () => {
  it('gives up with NotReadyYet within its wait, not after the Kafka client’s own retries', async () => {
    const policies = new PublishedPolicies(
      {} as Pool,
      { KAFKA_TOPIC_PREFIX: 'nqpf' } as BaseConfig,
      'review',
      createKafka('unreachable', ['127.0.0.1:1']),
      {} as ConsumerHost,
      {} as UnitOfWork,
      new ManualClock(new Date('2027-01-04T10:00:00+08:00')),
    );
    policies.waitMs = 1000;
    const started = Date.now();
    try {
      await expect(policies.inForceOn('2027-01-04')).rejects.toThrow(NotReadyYet);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await policies.onApplicationShutdown();
    }
  });
});
