import { generateKeyPairSync } from 'node:crypto';
import { chainOf } from '../chain.fixture';
import { EventSealer, SealKeys, type EventSeal } from '../seal';
import { sealedPrefix, UnsealedEventError } from './sealed-prefix';

const pair = generateKeyPairSync('ed25519');
const sealer = EventSealer.fromPem(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
const keys = SealKeys.fromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());

describe('sealedPrefix', () => {
  const events = chainOf(6);
  /** Versions from+1..to as appends sealed at their last event; other events unsealed. */
  const candidates = (appends: [number, number][], upTo = 6) => {
    const seals = new Map<number, EventSeal[]>(
      appends.map(([from, to]) => [to, [sealer.seal(events[from - 1]?.hash ?? null, events[to - 1]!.hash)]]),
    );
    return events.slice(0, upTo).map((event) => ({ event, seals: seals.get(event.streamVersion) ?? [] }));
  };

  it('passes events inside seals that meet end to end', () => {
    expect(
      sealedPrefix(
        candidates([
          [0, 2],
          [2, 3],
          [3, 6],
        ]),
        keys,
        '0',
      ),
    ).toEqual({ count: 6, open: [] });
  });

  it('stops before an append whose seal lies beyond the candidates, naming its first event', () => {
    expect(
      sealedPrefix(
        candidates(
          [
            [0, 2],
            [2, 6],
          ],
          4,
        ),
        keys,
        '0',
      ),
    ).toEqual({
      count: 2,
      open: [events[2]],
    });
    // A stream's first candidate continues events published before: its append starts at its link.
    expect(sealedPrefix(candidates([[2, 4]]).slice(2, 4), keys, '0')).toEqual({ count: 2, open: [] });
  });

  it('refuses an append whose seal starts after an event no seal covers, and a forged seal', () => {
    const buried = () =>
      sealedPrefix(
        candidates([
          [0, 2],
          [3, 6],
        ]),
        keys,
        '0',
      );
    expect(buried).toThrow(UnsealedEventError);
    expect(buried).toThrow(
      /^event s v3 \(position 3\) is not published: no seal covers it: the seal of version 6 covers only from version 4/,
    );
    const copied = candidates([[0, 2]]);
    copied[2] = { ...copied[2]!, seals: copied[1]!.seals };
    expect(() => sealedPrefix(copied, keys, '0')).toThrow(
      /event s v3 .* its seal is not one of the service's/,
    );
  });

  it('refuses an event whose content or link was changed', () => {
    const changed = candidates([[0, 6]]);
    changed[1] = { ...changed[1]!, event: { ...changed[1]!.event, payload: { v: 99 } } };
    expect(() => sealedPrefix(changed, keys, '0')).toThrow('its content does not match its hash');
    const skipped = candidates([[0, 6]]).filter((c) => c.event.streamVersion !== 3);
    expect(() => sealedPrefix(skipped, keys, '0')).toThrow('it does not link to the event before it');
  });

  it('passes events from before the store had seals as they are', () => {
    expect(sealedPrefix(candidates([]), keys, '6')).toEqual({ count: 6, open: [] });
    expect(sealedPrefix(candidates([[3, 5]]), keys, '3')).toEqual({ count: 5, open: [events[5]] });
    expect(sealedPrefix(candidates([]), keys, null)).toEqual({ count: 0, open: [events[0]] });
  });
});
