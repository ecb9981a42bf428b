import { deadLetterMessage } from './dead-letter';

describe('deadLetterMessage', () => {
  const record = {
    topic: 'nqpf.review.events',
    partition: 4,
    offset: '17',
    key: Buffer.from('center-1'),
    value: Buffer.from('{not json'),
    headers: { 'nqpf-event-id': 'e-1', binary: Buffer.from([0xff]) },
    timestamp: '1700000000000',
  };
  const message = deadLetterMessage(record, {
    groupId: 'registry',
    reason: 'unparseable',
    error: 'Unexpected token',
    attempts: 1,
    failedAt: new Date('2025-01-01T00:00:00Z'),
  });

  it('keeps the original key, bytes and headers', () => {
    expect(message.key).toBe(record.key);
    expect(message.value).toBe(record.value);
    expect(message.headers['nqpf-event-id']).toBe('e-1');
    expect(message.headers.binary).toEqual(Buffer.from([0xff]));
  });

  it('adds where the record came from and why it failed', () => {
    expect(message.headers).toMatchObject({
      'nqpf-dlt-original-topic': 'nqpf.review.events',
      'nqpf-dlt-original-partition': '4',
      'nqpf-dlt-original-offset': '17',
      'nqpf-dlt-group': 'registry',
      'nqpf-dlt-reason': 'unparseable',
      'nqpf-dlt-error': 'Unexpected token',
      'nqpf-dlt-attempts': '1',
      'nqpf-dlt-failed-at': '2025-01-01T00:00:00.000Z',
    });
  });
});
