import { InvalidInputError } from '@nqpf/domain';
import { centerCursor, centersCursor, filterKey, readCenterCursor, readCentersCursor } from './trail-cursor';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const MAX_BIGINT = '9223372036854775807';
const KEY = filterKey({ types: ['review.center-recognized'], recordedFrom: '2026-01-01T00:00:00+08:00' });

/** The 400 a cursor answers, or what it read. */
function read<T>(reader: (cursor: string, key: string) => T, cursor: string, key = KEY): T | string {
  try {
    return reader(cursor, key);
  } catch (err) {
    if (err instanceof InvalidInputError) return `${err.field}: ${err.message}`;
    throw err;
  }
}
const refused = expect.stringMatching(/^cursor: .*not a position this route gave/);
const otherFilters = expect.stringMatching(/^cursor: .*given with other types, from, to or district/);

describe('the audit routes’ cursors', () => {
  describe('the filters a cursor was given for', () => {
    it('are a set of types, the dates and the district: order and repeats of types do not count', () => {
      const a = filterKey({ types: ['b.x', 'a.y'], recordedFrom: '1', recordedBefore: '2', district: 'd' });
      expect(
        filterKey({ types: ['a.y', 'b.x', 'a.y'], recordedFrom: '1', recordedBefore: '2', district: 'd' }),
      ).toBe(a);
      for (const other of [
        { types: ['a.y'], recordedFrom: '1', recordedBefore: '2', district: 'd' },
        { types: ['b.x', 'a.y'], recordedBefore: '2', district: 'd' },
        { types: ['b.x', 'a.y'], recordedFrom: '1', district: 'd' },
        { types: ['b.x', 'a.y'], recordedFrom: '1', recordedBefore: '2' },
        // A date is not a type: the parts cannot slide into one another.
        { types: ['b.x', 'a.y', '1'], recordedBefore: '2', district: 'd' },
      ])
        expect(filterKey(other)).not.toBe(a);
      expect(filterKey({})).toMatch(/^[A-Za-z0-9_-]{11}$/);
    });
  });

  describe('GET /audit/centers (the seq of a line)', () => {
    it('reads back what it wrote, up to the largest bigint; none when absent or empty', () => {
      for (const seq of ['1', '42', MAX_BIGINT])
        expect(readCentersCursor(centersCursor(seq, KEY), KEY)).toBe(seq);
      expect(readCentersCursor(undefined, KEY)).toBeUndefined();
      expect(readCentersCursor('', KEY)).toBeUndefined();
    });

    it('refuses a seq past 2^63 − 1 before any query, and any cursor it did not write, naming cursor', () => {
      for (const cursor of [
        b64(`after:9223372036854775808;for:${KEY}`),
        b64(`after:99999999999999999999;for:${KEY}`),
        b64(`after:0;for:${KEY}`),
        b64(`after:007;for:${KEY}`),
        b64(`after:-1;for:${KEY}`),
        b64(`after:intake=1;for:${KEY}`),
        b64(`after:12;for:${KEY};for:${KEY}`),
        b64(`after:12;for:short`),
        // Written before cursors carried their filters.
        b64('after:12'),
        `${centersCursor('12', KEY)}=`,
        'abc',
      ])
        expect(read(readCentersCursor, cursor)).toEqual(refused);
    });

    it('refuses a cursor given with other filters than its page had', () => {
      const cursor = centersCursor('12', KEY);
      expect(read(readCentersCursor, cursor, filterKey({ types: ['review.center-recognized'] }))).toEqual(
        otherFilters,
      );
    });
  });

  describe('GET /audit/centers/:centerId (per topic, the seq of its last line shown)', () => {
    it('writes the topics in order and reads back the same position', () => {
      const position = new Map([
        ['review', '40'],
        ['intake', '12'],
        ['finance', MAX_BIGINT],
      ]);
      const cursor = centerCursor(position, KEY);
      expect(Buffer.from(cursor, 'base64url').toString('utf8')).toBe(
        `after:finance=${MAX_BIGINT},intake=12,review=40;for:${KEY}`,
      );
      expect(readCenterCursor(cursor, KEY)).toEqual(position);
      expect(readCenterCursor(undefined, KEY)).toBeUndefined();
    });

    it('refuses a seq past 2^63 − 1, topics out of order or twice, the city-wide cursor and other text', () => {
      for (const cursor of [
        b64(`after:intake=9223372036854775808;for:${KEY}`),
        b64(`after:intake=12,review=99999999999999999999;for:${KEY}`),
        b64(`after:review=40,intake=12;for:${KEY}`),
        b64(`after:intake=12,intake=13;for:${KEY}`),
        b64(`after:intake=0;for:${KEY}`),
        b64(`after:intake=1=2;for:${KEY}`),
        b64(`after:Intake=1;for:${KEY}`),
        b64(`after:;for:${KEY}`),
        b64(`after:,;for:${KEY}`),
        b64(
          `after:${Array.from({ length: 33 }, (_, i) => `t${String(i).padStart(2, '0')}=1`).join(',')};for:${KEY}`,
        ),
        b64('after:intake=12'),
        centersCursor('12', KEY),
        'abc',
      ])
        expect(read(readCenterCursor, cursor)).toEqual(refused);
    });

    it('refuses a cursor given with other filters than its page had', () => {
      const cursor = centerCursor(new Map([['intake', '12']]), KEY);
      expect(read(readCenterCursor, cursor, filterKey({}))).toEqual(otherFilters);
    });
  });
});
