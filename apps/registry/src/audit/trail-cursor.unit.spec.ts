import { InvalidInputError } from '@nqpf/domain';
import { centerCursor, centersCursor, readCenterCursor, readCentersCursor } from './trail-cursor';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const MAX_BIGINT = '9223372036854775807';

/** The 400 a cursor the route did not give answers, or what it read. */
function read<T>(reader: (cursor: string) => T, cursor: string): T | string {
  try {
    return reader(cursor);
  } catch (err) {
    if (err instanceof InvalidInputError) return `${err.field}: ${err.message}`;
    throw err;
  }
}
const refused = expect.stringMatching(/^cursor: .*not a position this route gave/);

describe('the audit routes’ cursors', () => {
  describe('GET /audit/centers (the seq of a line)', () => {
    it('reads back what it wrote, up to the largest bigint; none when absent or empty', () => {
      for (const seq of ['1', '42', MAX_BIGINT]) expect(readCentersCursor(centersCursor(seq))).toBe(seq);
      expect(readCentersCursor(undefined)).toBeUndefined();
      expect(readCentersCursor('')).toBeUndefined();
    });

    it('refuses a seq past 2^63 − 1 before any query, and any cursor it did not write, naming cursor', () => {
      for (const cursor of [
        b64('after:9223372036854775808'),
        b64('after:99999999999999999999'),
        b64('after:0'),
        b64('after:007'),
        b64('after:-1'),
        b64('after:intake=1'),
        `${centersCursor('12')}=`,
        'abc',
      ])
        expect(read(readCentersCursor, cursor)).toEqual(refused);
    });
  });

  describe('GET /audit/centers/:centerId (per topic, the seq of its last line shown)', () => {
    it('writes the topics in order and reads back the same position', () => {
      const position = new Map([
        ['review', '40'],
        ['intake', '12'],
        ['finance', MAX_BIGINT],
      ]);
      const cursor = centerCursor(position);
      expect(Buffer.from(cursor, 'base64url').toString('utf8')).toBe(
        `after:finance=${MAX_BIGINT},intake=12,review=40`,
      );
      expect(readCenterCursor(cursor)).toEqual(position);
      expect(readCenterCursor(undefined)).toBeUndefined();
    });

    it('refuses a seq past 2^63 − 1, topics out of order or twice, the city-wide cursor and other text', () => {
      for (const cursor of [
        b64('after:intake=9223372036854775808'),
        b64('after:intake=12,review=99999999999999999999'),
        b64('after:review=40,intake=12'),
        b64('after:intake=12,intake=13'),
        b64('after:intake=0'),
        b64('after:intake=1=2'),
        b64('after:Intake=1'),
        b64('after:'),
        b64(`after:${Array.from({ length: 33 }, (_, i) => `t${String(i).padStart(2, '0')}=1`).join(',')}`),
        centersCursor('12'),
        'abc',
      ])
        expect(read(readCenterCursor, cursor)).toEqual(refused);
    });
  });
});
