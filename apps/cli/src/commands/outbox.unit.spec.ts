import type { RefillReport } from '@nqpf/audit';
import { refillLines } from './outbox';

const report = (conflicts: RefillReport['conflicts']): RefillReport => ({
  store: 'review',
  topic: 'nqpf.review.events',
  read: 13,
  refilled: 0,
  streams: 0,
  unsealedHeads: 0,
  alreadyPublished: 0,
  conflicts,
  dryRun: false,
});

describe('refillLines', () => {
  it('counts the streams that disagree with Kafka, not their conflicts', () => {
    const twice = [
      { streamId: 'x', streamVersion: 4, detail: 'Kafka holds two different events at this version (a, b)' },
      {
        streamId: 'x',
        streamVersion: 4,
        detail: "the store's event here differs from the copy on Kafka (a)",
      },
    ];
    expect(refillLines(report(twice)).split('\n')).toEqual([
      'review: 13 records read from nqpf.review.events; NOT refilled: 1 stream disagrees with Kafka',
      '  CONFLICT stream x version 4: Kafka holds two different events at this version (a, b)',
      "  CONFLICT stream x version 4: the store's event here differs from the copy on Kafka (a)",
    ]);
    const two = [
      ...twice,
      { streamId: 'y', streamVersion: 1, detail: 'the copy on Kafka does not match its own hash' },
    ];
    expect(refillLines(report(two))).toMatch(/; NOT refilled: 2 streams disagree with Kafka\n/);
  });
});
