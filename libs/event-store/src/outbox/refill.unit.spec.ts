import type { EventEnvelope } from '@nqpf/contracts';
import { eventHash } from '../hash';
import { TopicCopies } from './refill';

/** A chain of `n` events of stream s, as the store seals them (each hash over its content and link). */
function chain(n: number): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  for (let v = 1; v <= n; v++) {
    const content = {
      id: `e${v}`,
      type: 'test.noted',
      schemaVersion: 1,
      streamId: 's',
      streamVersion: v,
      position: String(v),
      occurredAt: '2026-11-27T01:00:00.000Z',
      recordedAt: '2026-11-27T01:00:00.000Z',
      correlationId: 'c',
      causationId: null,
      actor: { id: 'a', role: 'system' as const },
      centerId: null,
      payload: { v },
      previousHash: events[v - 2]?.hash ?? null,
    };
    events.push({ ...content, hash: eventHash({ ...content, hash: '' }) });
  }
  return events;
}

const head = (e: EventEnvelope) => new Map([['s', { streamVersion: e.streamVersion, hash: e.hash }]]);

describe('TopicCopies', () => {
  const events = chain(5);

  it('plans the copies after the stored head, in order, counting a duplicate once', () => {
    const copies = new TopicCopies(head(events[1]!));
    for (const e of [events[4]!, ...events, events[2]!]) copies.add(e);
    expect(copies.plan()).toEqual({ insert: events.slice(2).map((event) => ({ event })), conflicts: [] });
    // A stream the store lost entirely starts at version 1.
    const none = new TopicCopies(new Map());
    events.forEach((e) => none.add(e));
    expect(none.plan().insert.map((c) => c.event)).toEqual(events);
  });

  it('names a gap on Kafka, a copy that does not link or whose content changed, and two events at one version', () => {
    const gap = new TopicCopies(head(events[0]!));
    [events[1]!, events[3]!].forEach((e) => gap.add(e));
    expect(gap.plan().conflicts).toEqual([
      { streamId: 's', streamVersion: 3, detail: 'Kafka lacks this version (it has up to 4)' },
    ]);
    const changed = new TopicCopies(head(events[0]!));
    changed.add({ ...events[1]!, payload: { v: 99 } });
    expect(changed.plan().conflicts).toEqual([
      { streamId: 's', streamVersion: 2, detail: 'the copy on Kafka does not match its own hash' },
    ]);
    const unlinked = new TopicCopies(head(events[1]!));
    unlinked.add({ ...events[2]!, previousHash: 'f'.repeat(64) });
    expect(unlinked.plan().conflicts[0]).toMatchObject({ streamVersion: 3 });
    const twice = new TopicCopies(head(events[0]!));
    [events[1]!, { ...events[1]!, id: 'other', hash: 'a'.repeat(64) }].forEach((e) => twice.add(e));
    expect(twice.plan().conflicts[0]).toMatchObject({
      streamVersion: 2,
      detail: 'Kafka holds two different events at this version (e2, other)',
    });
  });
});
