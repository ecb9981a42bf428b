import type { Kafka } from 'kafkajs';
import { replayTopics } from './replay';

/** One topic with one record, and a consumer that crashes for good before delivering anything. */
function crashingKafka() {
  const listeners: Record<string, (event: { payload: { error: Error; restart: boolean } }) => void> = {};
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchTopicOffsets: async () => [{ partition: 0, high: '1', low: '0', offset: '1' }],
    deleteGroups: async () => undefined,
  };
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (name: string, listener: (typeof listeners)[string]) => (listeners[name] = listener),
    connect: async () => undefined,
    subscribe: async () => undefined,
    disconnect: async () => undefined,
    run: async () => {
      setTimeout(
        () => listeners['consumer.crash']!({ payload: { error: new Error('broker gone'), restart: false } }),
        50,
      );
    },
  };
  return { admin: () => admin, consumer: () => consumer } as unknown as Kafka;
}

describe('replayTopics', () => {
  it('ends with the error of a crash kafkajs does not restart from, instead of waiting for ever', async () => {
    await expect(
      replayTopics({
        kafka: crashingKafka(),
        topics: ['t'],
        groupPrefix: 'test.replay.',
        handleBatch: async () => undefined,
      }),
    ).rejects.toThrow('broker gone');
  });
});
