import type { Kafka } from 'kafkajs';
import { ManualClock } from './clock';
import { TopicReadMark } from './topic-read-mark';

/**
 * A topic that keeps growing (every look at its end finds 5 more records) and a group that is always 3
 * records behind its current end: behind at any moment, past any fixed earlier end soon after.
 */
function growingTopic() {
  let end = 100;
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchTopicOffsets: async () => {
      end += 5;
      return [{ partition: 0, high: String(end), low: '0', offset: String(end) }];
    },
    fetchOffsets: async () => [{ topic: 't', partitions: [{ partition: 0, offset: String(end - 3) }] }],
  };
  return { admin: () => admin } as unknown as Kafka;
}

describe('TopicReadMark on a busy topic', () => {
  it('reaches a fresh wait while other fresh waits keep coming (each judged against its own start)', async () => {
    const mark = new TopicReadMark(growingTopic(), new ManualClock(new Date('2027-01-04T10:00:00Z')), {
      topic: 't',
      groupId: 'g',
      copy: 'the copy',
    });
    mark.waitMs = 1500;
    let others = true;
    const load = (async () => {
      while (others) {
        await mark.readUpTo(Date.now(), { key: 'other' }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await expect(mark.readUpTo(Date.now(), { key: 'center-1' })).resolves.toBeUndefined();
    } finally {
      others = false;
      await load;
      await mark.close();
    }
  });
});
