import { BadRequestException } from '@nestjs/common';
import { parseInstant } from './read-model-as-of';

describe('parseInstant (as-of `at`)', () => {
  it.each(['0000-01-01T00:00:00+08:00', '1999-12-31T15:59:59Z', '9999-12-31T20:00:00Z'])(
    'refuses %s before any replay, naming the field',
    (at) => {
      expect(() => parseInstant(at, 'at')).toThrow(BadRequestException);
      expect(() => parseInstant(at, 'at')).toThrow('at: must lie in the years 2000 to 9998');
    },
  );

  it('takes an instant with a zone in range', () => {
    expect(parseInstant('2026-03-10T00:00:00+08:00', 'at').toISOString()).toBe('2026-03-09T16:00:00.000Z');
  });

  it('reads an offset whose + a query string turned into a space (?at=…T00:00:00+08:00 typed unencoded)', () => {
    expect(parseInstant('2026-03-10T00:00:00 08:00', 'at').toISOString()).toBe('2026-03-09T16:00:00.000Z');
  });
});
