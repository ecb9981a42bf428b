import { mergeByRecordedAt } from './merge-trail';

const e = (topic: string, id: string, recordedAt: string) => ({ topic, id, recordedAt });

describe('merging topics into one trail', () => {
  it('interleaves topics by recorded-at', () => {
    const merged = mergeByRecordedAt([
      e('intake', 'i1', '2026-03-01T00:00:00Z'),
      e('intake', 'i2', '2026-03-03T00:00:00Z'),
      e('review', 'r1', '2026-03-02T00:00:00Z'),
    ]);
    expect(merged.map((x) => x.id)).toEqual(['i1', 'r1', 'i2']);
  });

  it("keeps each topic's own order even when its recorded-at times go backwards", () => {
    const merged = mergeByRecordedAt([
      e('intake', 'i1', '2026-03-05T00:00:00Z'),
      e('intake', 'i2', '2026-03-01T00:00:00Z'),
      e('review', 'r1', '2026-03-03T00:00:00Z'),
    ]);
    expect(merged.map((x) => x.id)).toEqual(['r1', 'i1', 'i2']);
  });

  it('breaks ties by topic name, and returns every entry once', () => {
    const t = '2026-03-01T00:00:00Z';
    const merged = mergeByRecordedAt([e('review', 'r1', t), e('intake', 'i1', t), e('intake', 'i2', t)]);
    expect(merged.map((x) => x.id)).toEqual(['i1', 'i2', 'r1']);
  });
});
