import type { EventEnvelope } from '@nqpf/contracts';
import { chainOf } from './chain.fixture';
import { eventHash } from './hash';
import { verifyStreamChain } from './verify-chain';

describe('verifyStreamChain', () => {
  it('accepts an intact chain and an empty stream', () => {
    expect(verifyStreamChain('s', chainOf(4))).toEqual({ ok: true, checked: 4 });
    expect(verifyStreamChain('s', [])).toEqual({ ok: true, checked: 0 });
  });

  it("names an event whose position does not follow the stream's earlier ones, its hash recomputed or not", () => {
    const rehashed = (e: EventEnvelope, position: string) => {
      const moved = { ...e, position };
      return { ...moved, hash: eventHash({ ...moved, hash: '' }) };
    };
    const events = chainOf(2);
    for (const position of ['1', '-5', '0'])
      expect(verifyStreamChain('s', [events[0]!, rehashed(events[1]!, position)]).firstBroken).toMatchObject({
        streamVersion: 2,
        problem: 'inserted',
        detail: `position ${position} does not follow the stream's earlier positions`,
      });
    expect(verifyStreamChain('s', [rehashed(events[0]!, '-5')]).firstBroken?.problem).toBe('inserted');
  });

  it('reports a removed tail only against a known head', () => {
    const full = chainOf(3);
    const head = { streamVersion: 3, hash: full[2]!.hash };
    expect(verifyStreamChain('s', full.slice(0, 2)).ok).toBe(true);
    expect(verifyStreamChain('s', full.slice(0, 2), head).firstBroken).toMatchObject({
      streamId: 's',
      streamVersion: 3,
      problem: 'removed',
    });
  });

  it('reports a rewritten chain whose head differs from the known head', () => {
    const rewritten = chainOf(3);
    expect(
      verifyStreamChain('s', rewritten, { streamVersion: 3, hash: 'f'.repeat(64) }).firstBroken,
    ).toMatchObject({
      streamVersion: 3,
      eventId: 'e3',
      problem: 'modified',
    });
  });

  it('names the first problem in stream order', () => {
    const events = chainOf(4);
    events[1] = { ...events[1]!, payload: { v: 99 } };
    events[3] = { ...events[3]!, payload: { v: 98 } };
    expect(verifyStreamChain('s', events)).toMatchObject({
      ok: false,
      checked: 2,
      firstBroken: { streamVersion: 2, problem: 'modified' },
    });
  });

  it('reports a repeated version as an insertion, even when it links to the event before it', () => {
    const events = chainOf(3);
    // A second version 3 after the real one, linked to it with a recomputed hash: the links are intact.
    const { hash: _h, ...content } = {
      ...events[2]!,
      id: 'e3b',
      payload: { v: 33 },
      previousHash: events[2]!.hash,
    };
    const repeated = [...events, { ...content, hash: eventHash(content) }];
    expect(verifyStreamChain('s', repeated)).toEqual({
      ok: false,
      checked: 4,
      firstBroken: {
        streamId: 's',
        streamVersion: 3,
        eventId: 'e3b',
        problem: 'inserted',
        detail: 'version 3 where version 4 was expected',
      },
    });
  });

  it('requires the first event at version 1', () => {
    const [first] = chainOf(1);
    const { hash: _h, ...content } = { ...first!, streamVersion: 0 };
    expect(verifyStreamChain('s', [{ ...content, hash: eventHash(content) }]).firstBroken).toMatchObject({
      streamVersion: 0,
      problem: 'inserted',
      detail: 'version 0 where version 1 was expected',
    });
  });
});
