import type { EventEnvelope } from '@nqpf/contracts';
import { generateKeyPairSync } from 'node:crypto';
import { chainOf } from '../chain.fixture';
import { eventHash } from '../hash';
import { EventSealer, SealKeys } from '../seal';
import { copyOf, TopicCopies } from './refill';

const pair = generateKeyPairSync('ed25519');
const sealer = EventSealer.fromPem(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
const keys = SealKeys.fromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());

const head = (e: EventEnvelope) => new Map([['s', { streamVersion: e.streamVersion, hash: e.hash }]]);

describe('TopicCopies', () => {
  const events = chainOf(5);

  it('plans the copies after the stored head, in order, counting a duplicate once', () => {
    const copies = new TopicCopies(head(events[1]!), keys);
    for (const e of [events[4]!, ...events, events[2]!]) copies.add(e);
    expect(copies.plan(null)).toEqual({ insert: events.slice(2).map((event) => ({ event })), conflicts: [] });
    // A stream the store lost entirely starts at version 1.
    const none = new TopicCopies(new Map(), keys);
    events.forEach((e) => none.add(e));
    expect(none.plan(null).insert.map((c) => c.event)).toEqual(events);
  });

  it('names a gap on Kafka, a copy that does not link or whose content changed, and two events at one version', () => {
    const gap = new TopicCopies(head(events[0]!), keys);
    [events[1]!, events[3]!].forEach((e) => gap.add(e));
    expect(gap.plan(null).conflicts).toEqual([
      { streamId: 's', streamVersion: 3, detail: 'Kafka lacks this version (it has up to 4)' },
    ]);
    const changed = new TopicCopies(head(events[0]!), keys);
    changed.add({ ...events[1]!, payload: { v: 99 } });
    expect(changed.plan(null).conflicts).toEqual([
      { streamId: 's', streamVersion: 2, detail: 'the copy on Kafka does not match its own hash' },
    ]);
    const unlinked = new TopicCopies(head(events[1]!), keys);
    unlinked.add({ ...events[2]!, previousHash: 'f'.repeat(64) });
    expect(unlinked.plan(null).conflicts[0]).toMatchObject({ streamVersion: 3 });
    const twice = new TopicCopies(head(events[0]!), keys);
    [events[1]!, { ...events[1]!, id: 'other', hash: 'a'.repeat(64) }].forEach((e) => twice.add(e));
    expect(twice.plan(null).conflicts[0]).toMatchObject({
      streamVersion: 2,
      detail: 'Kafka holds two different events at this version (e2, other)',
    });
  });

  it('checks every seal a copy carries and wants the new head sealed once its service sealed', () => {
    const sealedHead = { ...events[2]!, position: '30' };
    const rehashed = { ...sealedHead, hash: eventHash({ ...sealedHead, hash: '' }) };
    const good = new TopicCopies(head(events[1]!), keys);
    good.add(rehashed, sealer.seal(rehashed.previousHash, rehashed.hash));
    expect(good.plan(null)).toEqual({
      insert: [{ event: rehashed, seal: sealer.seal(rehashed.previousHash, rehashed.hash) }],
      conflicts: [],
    });
    const forged = new TopicCopies(head(events[1]!), keys);
    forged.add(rehashed, {
      keyId: sealer.keyId,
      signature: sealer.seal(rehashed.previousHash, '0'.repeat(64)).signature,
    });
    expect(forged.plan(null).conflicts[0]?.detail).toMatch(
      /^the copy's seal: the seal \(key .*\) does not match/,
    );
    // An unsealed copy under a later append, whose seal starts after it: no seal covers it.
    const [third, fourth] = [events[2]!, events[3]!];
    const buried = new TopicCopies(head(events[1]!), keys);
    buried.add(third);
    buried.add(fourth, sealer.seal(fourth.previousHash, fourth.hash));
    expect(buried.plan(null).conflicts[0]).toMatchObject({
      streamVersion: 4,
      detail: expect.stringMatching(
        /^the copy's seal: .* does not match.*refill with the heads taken at the rollout\)$/,
      ),
    });
    const oneAppend = new TopicCopies(head(events[1]!), keys);
    oneAppend.add(third);
    oneAppend.add(fourth, sealer.seal(third.previousHash, fourth.hash));
    expect(oneAppend.plan(null).conflicts).toEqual([]);
    // Unsealed, after the store's first seal: an append published in part, or not the service's.
    const unsealed = new TopicCopies(head(events[1]!), keys);
    unsealed.add(events[2]!);
    expect(unsealed.plan('2').conflicts[0]).toMatchObject({ streamVersion: 3 });
    expect(unsealed.plan('9').conflicts).toEqual([]); // before seals began: seal-heads may seal it
  });

  it("starts a stream's first sealed append at its head in the rollout heads file, and only there", () => {
    // A store restored to before the key rollout: the stream's head then (3) came back unsealed; seal-heads
    // sealed it in the store at the rollout, and the service's next append (4) was sealed from it.
    const [third, fourth, fifth] = [events[2]!, events[3]!, events[4]!];
    const rollout = (e: EventEnvelope) => new Map([['s', { streamVersion: e.streamVersion, hash: e.hash }]]);
    const fromRollout = (heads: Map<string, { streamVersion: number; hash: string }>) => {
      const copies = new TopicCopies(head(events[1]!), keys, heads);
      copies.add(third);
      copies.add(fourth, sealer.seal(fourth.previousHash, fourth.hash));
      return copies.plan(null);
    };
    expect(fromRollout(rollout(third))).toEqual({
      insert: [
        { event: third, rolloutHead: true },
        { event: fourth, seal: sealer.seal(fourth.previousHash, fourth.hash) },
      ],
      conflicts: [],
    });
    // Not the stream's head in the file (another version, another hash, another stream): buried, a conflict.
    for (const heads of [
      rollout(events[1]!),
      new Map([['s', { streamVersion: 3, hash: 'a'.repeat(64) }]]),
      new Map([['t', { streamVersion: 3, hash: third.hash }]]),
    ])
      expect(fromRollout(heads).conflicts).toEqual([
        {
          streamId: 's',
          streamVersion: 4,
          detail: expect.stringMatching(
            /^the copy's seal: .* does not match.* \(version 3 before it, unsealed, is not the stream's head in the rollout heads file\)$/,
          ),
        },
      ]);
    // A copy after the rollout head and before the sealed append stays buried under it.
    const later = new TopicCopies(head(events[1]!), keys, rollout(third));
    [third, fourth].forEach((e) => later.add(e));
    later.add(fifth, sealer.seal(fifth.previousHash, fifth.hash));
    expect(later.plan(null).conflicts[0]).toMatchObject({ streamVersion: 5 });
    // Recorded once the service sealed (after the first seal): never a rollout head.
    const afterSeals = new TopicCopies(head(events[1]!), keys, rollout(third));
    afterSeals.add(third);
    afterSeals.add(fourth, sealer.seal(fourth.previousHash, fourth.hash));
    expect(afterSeals.plan('2').conflicts[0]).toMatchObject({ streamVersion: 4 });
    // Once the stream had a sealed copy, its head in the file is not where a later seal starts.
    const sealedFirst = new TopicCopies(head(events[0]!), keys, rollout(third));
    sealedFirst.add(events[1]!, sealer.seal(events[1]!.previousHash, events[1]!.hash));
    sealedFirst.add(third);
    sealedFirst.add(fourth, sealer.seal(fourth.previousHash, fourth.hash));
    expect(sealedFirst.plan(null).conflicts[0]).toMatchObject({ streamVersion: 4 });
  });

  it('reads a record as exactly the stored envelope, refusing a field of the wrong type', () => {
    expect(copyOf({ ...events[0]!, extra: 'x' })).toEqual(events[0]);
    expect(() => copyOf({ ...events[0]!, position: 1 })).toThrow('position is not valid');
    expect(() => copyOf({ ...events[0]!, recordedAt: '2026-11-27T01:00:00Z' })).toThrow(
      'recordedAt is not valid',
    );
  });
});
