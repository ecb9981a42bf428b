import type { EventEnvelope } from '@nqpf/contracts';
import { generateKeyPairSync } from 'node:crypto';
import { chainOf } from './chain.fixture';
import { eventHash } from './hash';
import { EventSealer, SealKeys, type EventSeal } from './seal';
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

describe('verifyStreamChain with seals', () => {
  const keyPair = () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return {
      sealer: EventSealer.fromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
      keys: SealKeys.fromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    };
  };
  const service = keyPair();
  const events = chainOf(5);
  const hashAt = (v: number) => (v === 0 ? null : events[v - 1]!.hash);
  /** The service's appends of versions from+1..to, each sealed at its last event. */
  const appends = (ranges: [number, number][], sealer = service.sealer) =>
    new Map<number, EventSeal[]>(
      ranges.map(([from, to]) => [to, [sealer.seal(hashAt(from), events[to - 1]!.hash)]]),
    );
  const verify = (byVersion: Map<number, EventSeal[]>, keys = service.keys) =>
    verifyStreamChain('s', events, undefined, { keys, byVersion });

  it('passes a stream whose appends are sealed end to end', () => {
    expect(
      verify(
        appends([
          [0, 2],
          [2, 3],
          [3, 5],
        ]),
      ),
    ).toEqual({ ok: true, checked: 5 });
  });

  it('names an event someone added without the key, at the tail or under a later append of the service', () => {
    expect(verify(appends([[0, 2]])).firstBroken).toEqual({
      streamId: 's',
      streamVersion: 3,
      eventId: 'e3',
      problem: 'unsealed',
      detail: 'no seal covers it: appended without a service key',
    });
    // Version 3 was added beside the service; its next append (4..5) continued it and sealed only itself.
    expect(
      verify(
        appends([
          [0, 2],
          [3, 5],
        ]),
      ).firstBroken,
    ).toEqual({
      streamId: 's',
      streamVersion: 3,
      eventId: 'e3',
      problem: 'unsealed',
      detail: 'no seal covers it: the seal of version 5 covers only from version 4',
    });
  });

  it('names a forged seal and a seal of a key it does not trust', () => {
    const stranger = keyPair();
    const forged = appends([
      [0, 2],
      [2, 5],
    ]);
    forged.set(3, [{ keyId: service.sealer.keyId, signature: forged.get(2)![0]!.signature }]);
    forged.set(5, appends([[3, 5]]).get(5)!);
    expect(verify(forged).firstBroken).toMatchObject({ streamVersion: 3, problem: 'bad-seal' });
    expect(verify(appends([[0, 5]], stranger.sealer)).firstBroken).toMatchObject({
      streamVersion: 5,
      problem: 'bad-seal',
      detail: `sealed with key ${stranger.sealer.keyId}, which is not a trusted key`,
    });
  });

  it("passes history sealed by a retired key once its head carries a new key's seal over the whole stream", () => {
    const retired = keyPair();
    const byVersion = appends(
      [
        [0, 2],
        [2, 3],
      ],
      retired.sealer,
    );
    byVersion.set(3, [...byVersion.get(3)!, service.sealer.seal(null, events[2]!.hash)]);
    for (const [v, seals] of appends([[3, 5]])) byVersion.set(v, seals);
    expect(verify(byVersion)).toEqual({ ok: true, checked: 5 });
    byVersion.delete(3);
    // Without the re-seal, the retired key's seals are what the appends before version 4 rest on.
    expect(verify(byVersion).firstBroken).toMatchObject({
      streamVersion: 2,
      problem: 'bad-seal',
      detail: `sealed with key ${retired.sealer.keyId}, which is not a trusted key`,
    });
  });
});

describe('verifyStreamChain with junk seals on every event', () => {
  it('names the first and stays linear: one search for a later start per stretch no seal covers', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const sealer = EventSealer.fromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const keys = SealKeys.fromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const events = chainOf(400);
    const junk: EventSeal[] = [
      { keyId: sealer.keyId, signature: sealer.seal(null, 'f'.repeat(64)).signature },
    ];
    const checks = jest.spyOn(keys, 'check');
    const report = verifyStreamChain('s', events, undefined, {
      keys,
      byVersion: new Map(events.map((e) => [e.streamVersion, junk])),
    });
    expect(report.firstBroken).toMatchObject({ streamVersion: 1, problem: 'bad-seal' });
    expect(checks.mock.calls.length).toBeLessThanOrEqual(2 * events.length);
  });
});
