import { InvalidInputError } from '@nqpf/domain';
import type { Kafka } from 'kafkajs';
import type { DocumentReducer } from '@nqpf/projections';
import { shanghaiDateOf } from '@nqpf/rules';
import { parseAsOfAt, parseEndOffsets, parseInstant, readModelAsOf } from './read-model-as-of';
import type { ReplayGate } from './replay-gate';

describe('parseInstant (as-of `at`)', () => {
  it.each(['0000-01-01T00:00:00+08:00', '1999-12-31T15:59:59Z', '9999-12-31T20:00:00Z'])(
    'refuses %s before any replay, naming the field',
    (at) => {
      expect(() => parseInstant(at, 'at')).toThrow(InvalidInputError);
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

describe('parseAsOfAt (as-of `at`: an instant, or a date meaning its end in Asia/Shanghai)', () => {
  it('takes a date as the last millisecond before the next day 00:00 +08:00', () => {
    const at = parseAsOfAt('2026-03-10', 'at');
    expect(at.toISOString()).toBe('2026-03-10T15:59:59.999Z');
    // An event recorded at the next day's 00:00 +08:00 is after it; one a millisecond before is not.
    expect(Date.parse('2026-03-11T00:00:00+08:00')).toBeGreaterThan(at.getTime());
    expect(Date.parse('2026-03-10T23:59:59.999+08:00')).toBeLessThanOrEqual(at.getTime());
    expect(shanghaiDateOf(at.toISOString(), 'at')).toBe('2026-03-10');
  });

  it('crosses months and leap days, and takes the last day of 9998', () => {
    expect(parseAsOfAt('2028-02-29', 'at').toISOString()).toBe('2028-02-29T15:59:59.999Z');
    expect(parseAsOfAt('2026-12-31', 'at').toISOString()).toBe('2026-12-31T15:59:59.999Z');
    expect(parseAsOfAt('9998-12-31', 'at').toISOString()).toBe('9998-12-31T15:59:59.999Z');
  });

  it.each([
    ['2026-02-30', 'at: 2026-02-30 is not a date of the calendar'],
    ['2026-13-01', 'at: 2026-13-01 is not a date of the calendar'],
    ['1999-12-31', 'at: must lie in the years 2000 to 9998'],
    ['9999-01-01', 'at: must lie in the years 2000 to 9998'],
    ['2026-3-10', 'at: must be an ISO 8601 instant with a zone'],
    ['2026-03-10T00:00:00', 'at: must be an ISO 8601 instant with a zone'],
  ])('refuses %s naming the field', (raw, message) => {
    expect(() => parseAsOfAt(raw, 'at')).toThrow(InvalidInputError);
    expect(() => parseAsOfAt(raw, 'at')).toThrow(message);
  });

  it('still takes an instant as it is', () => {
    expect(parseAsOfAt('2026-03-10T00:00:00+08:00', 'at').toISOString()).toBe('2026-03-09T16:00:00.000Z');
  });
});

describe('parseEndOffsets (as-of `endOffsets`: a Kafka position)', () => {
  const topics = ['nqpf.intake.events', 'nqpf.finance.events'];
  const parse = (raw: string) => parseEndOffsets(raw, 'endOffsets', topics);

  it('reads offsets per topic and partition, as numbers or decimal strings', () => {
    expect(parse('{"nqpf.finance.events":{"0":120,"3":"7"},"nqpf.intake.events":{"1":0}}')).toEqual({
      'nqpf.finance.events': { 0: '120', 3: '7' },
      'nqpf.intake.events': { 1: '0' },
    });
    expect(parse('{"nqpf.finance.events":{"0":"90071992547409930"}}')).toEqual({
      'nqpf.finance.events': { 0: '90071992547409930' },
    });
  });

  it.each([
    ['{nqpf', 'endOffsets: must be JSON'],
    ['[1,2]', 'endOffsets: must name at least one topic'],
    ['{}', 'endOffsets: must name at least one topic'],
    ['{"nqpf.x.events":{"0":1}}', 'endOffsets: unknown topic "nqpf.x.events"'],
    ['{"nqpf.finance.events":5}', 'endOffsets.nqpf.finance.events: must map partitions to end offsets'],
    ['{"nqpf.finance.events":{}}', 'endOffsets.nqpf.finance.events: must map partitions to end offsets'],
    ['{"nqpf.finance.events":{"-1":5}}', 'endOffsets.nqpf.finance.events: partition "-1" is not'],
    ['{"nqpf.finance.events":{"a":5}}', 'endOffsets.nqpf.finance.events: partition "a" is not'],
    ['{"nqpf.finance.events":{"0":-1}}', 'endOffsets.nqpf.finance.events.0: must be an offset'],
    ['{"nqpf.finance.events":{"0":1.5}}', 'endOffsets.nqpf.finance.events.0: must be an offset'],
    ['{"nqpf.finance.events":{"0":"-3"}}', 'endOffsets.nqpf.finance.events.0: must be an offset'],
    ['{"nqpf.finance.events":{"0":"07"}}', 'endOffsets.nqpf.finance.events.0: must be an offset'],
    ['{"nqpf.finance.events":{"0":null}}', 'endOffsets.nqpf.finance.events.0: must be an offset'],
    ['{"nqpf.finance.events":{"0":1e300}}', 'endOffsets.nqpf.finance.events.0: must be an offset'],
  ])('refuses %s naming the field and the place', (raw, message) => {
    expect(() => parse(raw)).toThrow(InvalidInputError);
    expect(() => parse(raw)).toThrow(message);
  });
});

describe('readModelAsOf: Kafka only inside the replay gate', () => {
  const kafka = { admin: jest.fn(), consumer: jest.fn() };
  const busy = { run: jest.fn(() => Promise.reject(new Error('gate: busy'))) };
  const asOf = (at: string | undefined, endOffsets: string | undefined) =>
    readModelAsOf({
      gate: busy as unknown as ReplayGate,
      kafka: kafka as unknown as Kafka,
      topics: ['nqpf.finance.events'],
      knownTopics: ['nqpf.finance.events'],
      replayGroupPrefix: 'replay',
      reducer: {} as DocumentReducer<{ centerId: string; district: string | null }>,
      at,
      endOffsets,
      actor: { id: 'bureau-1', role: 'city_bureau' },
    });

  it('opens no Kafka connection for a caller the gate refuses, a position included', async () => {
    await expect(asOf(undefined, '{"nqpf.finance.events":{"0":1}}')).rejects.toThrow('gate: busy');
    expect(kafka.admin).not.toHaveBeenCalled();
    expect(kafka.consumer).not.toHaveBeenCalled();
  });

  it('refuses bad parameters with a 400 before taking a place at the gate', async () => {
    busy.run.mockClear();
    await expect(asOf('2026-13-01', undefined)).rejects.toThrow(InvalidInputError);
    await expect(asOf('2026-12-31', '{"nqpf.finance.events":{"0":1}}')).rejects.toThrow('give one of them');
    await expect(asOf(undefined, undefined)).rejects.toThrow('at: required');
    expect(busy.run).not.toHaveBeenCalled();
  });
});
