import { mergeByRecordedAt, mergedPage } from './merge-trail';

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

describe('a page of the merge from each topic’s next lines', () => {
  type Line = { topic: string; seq: string; recordedAt: string };
  /** Lines of three topics in seq order, clocks that disagree and go backwards, many at the same instant. */
  function trail(seed: number, count: number): Line[] {
    let state = seed;
    const random = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
    return Array.from({ length: count }, (_, i) => ({
      topic: ['finance', 'intake', 'review'][random(3)]!,
      seq: String(i + 1),
      recordedAt: new Date(Date.UTC(2026, 2, 1, 0, random(6))).toISOString(),
    }));
  }
  /** As the query reads them: per topic, its next `limit` + 1 lines after the position. */
  const nextLines = (lines: Line[], after: ReadonlyMap<string, string>, limit: number) =>
    ['finance', 'intake', 'review'].flatMap((topic) =>
      lines
        .filter((l) => l.topic === topic && Number(l.seq) > Number(after.get(topic) ?? 0))
        .slice(0, limit + 1),
    );

  it.each([1, 2, 3, 7, 40])(
    'walks the whole merge %i lines at a time, each line once, in its order',
    (limit) => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const lines = trail(seed, 40);
        const walked: Line[] = [];
        let after: ReadonlyMap<string, string> = new Map();
        for (let pages = 0; pages < 100; pages++) {
          const page = mergedPage(nextLines(lines, after, limit), after, limit);
          expect(page.shown.length).toBeLessThanOrEqual(limit);
          walked.push(...page.shown);
          if (page.next === null) break;
          expect(page.shown).toHaveLength(limit);
          after = page.next;
        }
        expect(walked).toEqual(mergeByRecordedAt(lines));
      }
    },
  );

  it('says no next page when the lines given are all there is, even exactly a page of them', () => {
    const lines = trail(9, 4);
    expect(mergedPage(lines, new Map(), 4)).toEqual({ shown: mergeByRecordedAt(lines), next: null });
    expect(mergedPage([], new Map([['intake', '3']]), 4)).toEqual({ shown: [], next: null });
  });

  it('keeps the position of a topic that gave no line to the page', () => {
    const t = '2026-03-01T00:00:00.000Z';
    const page = mergedPage(
      [
        { topic: 'intake', seq: '5', recordedAt: t },
        { topic: 'intake', seq: '6', recordedAt: t },
      ],
      new Map([['review', '4']]),
      1,
    );
    expect(page.next).toEqual(
      new Map([
        ['review', '4'],
        ['intake', '5'],
      ]),
    );
  });
});
