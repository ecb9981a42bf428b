import { EVENT_TYPE_HEADER, toWire, type ConsumedRecord } from '@nqpf/messaging';
import { parseRecords } from './parse-records';
import { tallyEvent } from './test-support';

const record = (value: Buffer | null, headers: ConsumedRecord['headers'], offset = '0'): ConsumedRecord => ({
  topic: 't',
  partition: 0,
  offset,
  key: null,
  value,
  headers,
  timestamp: '0',
});

describe('parseRecords', () => {
  const wire = toWire(tallyEvent('center-1', 1, 100));
  const handlesTallied = (type: string) => type === 'Tallied';

  it('parses the records whose type header the model handles, and those without a header', () => {
    const parsed = parseRecords([record(wire.value, wire.headers), record(wire.value, {}, '1')], {
      handles: handlesTallied,
    });
    expect(parsed.events.map((e) => e.type)).toEqual(['Tallied', 'Tallied']);
    expect(parsed.rejected).toEqual([]);
  });

  it('passes over a record of a type the model does not handle, unparsed: not an event, not a rejection', () => {
    const garbage = Buffer.from('{not json');
    const parsed = parseRecords(
      [
        record(garbage, { [EVENT_TYPE_HEADER]: 'finance.grant-decided' }),
        record(wire.value, wire.headers, '1'),
      ],
      { handles: handlesTallied },
    );
    expect(parsed.events).toHaveLength(1);
    expect(parsed.rejected).toEqual([]);
  });

  describe('with contracts', () => {
    const validate = { Tallied: () => [], 'finance.grant-decided': () => [] };

    it('still passes over, unparsed, a record of a type the contracts know and the model does not handle', () => {
      const parsed = parseRecords(
        [record(Buffer.from('{not json'), { [EVENT_TYPE_HEADER]: 'finance.grant-decided' })],
        { handles: handlesTallied, validate },
      );
      expect(parsed).toEqual({ events: [], rejected: [], lastRecordedAt: null });
    });

    it('sets aside as unknown-type a record whose type no contract names, by its header or once parsed', () => {
      const renamed = toWire({ ...tallyEvent('center-1', 2, 5), type: 'Tallied2' });
      const parsed = parseRecords(
        [
          record(Buffer.from('{not json'), { [EVENT_TYPE_HEADER]: 'Tallied2' }),
          record(renamed.value, {}, '1'),
          record(wire.value, wire.headers, '2'),
        ],
        { handles: handlesTallied, validate },
      );
      expect(parsed.events.map((e) => e.type)).toEqual(['Tallied']);
      expect(parsed.rejected.map((r) => [r.record.offset, r.reason, r.error])).toEqual([
        ['0', 'unknown-type', "Tallied2 is not an event type this model's contracts know"],
        ['1', 'unknown-type', "Tallied2 is not an event type this model's contracts know"],
      ]);
    });

    it("sets aside as unknown-type a schema version of a known type no contract describes (a newer release's), naming type and version", () => {
      const newer = toWire({ ...tallyEvent('center-1', 2, 5), schemaVersion: 99 });
      const parsed = parseRecords(
        [
          record(newer.value, newer.headers),
          record(newer.value, {}, '1'),
          record(wire.value, wire.headers, '2'),
        ],
        { handles: handlesTallied, validate },
      );
      expect(parsed.events.map((e) => e.streamVersion)).toEqual([1]);
      expect(parsed.rejected.map((r) => [r.record.offset, r.reason, r.error])).toEqual([
        [
          '0',
          'unknown-type',
          "schema version 99 of the event type Tallied is not one this model's contracts know",
        ],
        [
          '1',
          'unknown-type',
          "schema version 99 of the event type Tallied is not one this model's contracts know",
        ],
      ]);
      // Not how far the partition was read: the model has not read it.
      expect(parsed.lastRecordedAt).toBe(JSON.parse(wire.value.toString()).recordedAt);
    });

    it('knows a type by a later version alone: version 1 of it is a version it does not know, not an unknown type', () => {
      const parsed = parseRecords([record(wire.value, wire.headers)], {
        validate: { 'Tallied@v2': () => [] },
      });
      expect(parsed.rejected.map((r) => [r.reason, r.error])).toEqual([
        ['unknown-type', "schema version 1 of the event type Tallied is not one this model's contracts know"],
      ]);
    });

    it('reads the versions its contracts describe, older ones included, each against its own', () => {
      const v2 = toWire({ ...tallyEvent('center-1', 2, 5), schemaVersion: 2 });
      const parsed = parseRecords([record(wire.value, wire.headers), record(v2.value, v2.headers, '1')], {
        validate: { Tallied: () => [], 'Tallied@v2': () => [] },
      });
      expect(parsed.events.map((e) => e.schemaVersion)).toEqual([1, 2]);
      expect(parsed.rejected).toEqual([]);
    });

    it('still finds an envelope with a schema version that is no whole number invalid, not unknown', () => {
      const odd = toWire({ ...tallyEvent('center-1', 2, 5), schemaVersion: '1' as unknown as number });
      const parsed = parseRecords([record(odd.value, odd.headers)], { validate });
      expect(parsed.rejected.map((r) => r.reason)).toEqual(['invalid']);
    });
  });

  it('still rejects an unparseable record of a handled type, naming why', () => {
    const parsed = parseRecords([record(Buffer.from('{not json'), { [EVENT_TYPE_HEADER]: 'Tallied' })], {
      handles: handlesTallied,
    });
    expect(parsed.rejected.map((r) => r.reason)).toEqual(['unparseable']);
  });
});
