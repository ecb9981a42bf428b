import { HeadsFileError, parseHeadsFile, takeHeads } from './stream-heads';

const hash = 'a'.repeat(64);
const good = {
  format: 'nqpf-stream-heads/1',
  takenAt: '2026-11-26T08:00:00.000Z',
  stores: { intake: { 'application-1': { streamVersion: 3, hash } } },
};

describe('parseHeadsFile', () => {
  it('accepts a heads file as nqpf audit heads writes it', () => {
    expect(parseHeadsFile(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });

  it.each([
    ['(file)', []],
    ['format', { ...good, format: 'nqpf-stream-heads/2' }],
    ['takenAt', { ...good, takenAt: 'yesterday' }],
    ['stores', { ...good, stores: null }],
    ['stores.intake', { ...good, stores: { intake: [] } }],
    ['stores.intake.s', { ...good, stores: { intake: { s: 3 } } }],
    ['stores.intake.s.streamVersion', { ...good, stores: { intake: { s: { streamVersion: 0, hash } } } }],
    [
      'stores.intake.s.hash',
      { ...good, stores: { intake: { s: { streamVersion: 1, hash: 'A'.repeat(64) } } } },
    ],
  ])('names %s when it is wrong', (field, raw) => {
    expect(() => parseHeadsFile(raw)).toThrow(HeadsFileError);
    expect(() => parseHeadsFile(raw)).toThrow(new RegExp(`^${field.replace(/[().]/g, '\\$&')}: `));
  });
});

describe('takeHeads', () => {
  it('refuses two stores of one name before reading either: the second would overwrite the first', async () => {
    const stores = [
      { name: 'review', url: 'postgres://auditor@pg-a.example/review' },
      { name: 'review', url: 'postgres://auditor@pg-b.example/review' },
    ];
    await expect(takeHeads(stores)).rejects.toThrow("2 stores named 'review'");
  });
});
