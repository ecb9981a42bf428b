import type { BrokenLink, EventSealer, ResealedHeads, SealedHeads, SealKeys } from '@nqpf/event-store';
import { withStore } from './open-store';
import type { StoreLocation } from './service-databases';
import type { HeadsFile } from './stream-heads';

export interface StoreVerifyReport {
  store: string;
  /** Events examined; in a broken stream, up to and including its first broken one. */
  checked: number;
  /** Stream heads from the heads file the store was held against (0 without one). */
  knownHeads: number;
  ok: boolean;
  firstBroken?: BrokenLink;
  /** Each broken stream's first broken event, in stream id order (the first 100). */
  broken?: BrokenLink[];
  brokenStreams?: number;
  /** Set when the store could not be read at all (then `ok` is false). */
  error?: string;
}

/**
 * The hash chain of every stream of every store (PostgresEventStore.verify), one store after another;
 * with `heads`, each store's streams must also reach the heads taken earlier, with the same hashes; with
 * `sealKeys` (per store name), each stream's last event must carry a seal of one of its store's keys.
 */
export async function verifyStores(
  locations: StoreLocation[],
  heads?: HeadsFile,
  sealKeys?: ReadonlyMap<string, SealKeys>,
): Promise<StoreVerifyReport[]> {
  const reports: StoreVerifyReport[] = [];
  for (const location of locations) {
    const known = new Map(Object.entries(heads?.stores[location.name] ?? {}));
    if (heads && !Object.hasOwn(heads.stores, location.name)) {
      // The heads file has an entry for every store it was taken of, even an empty one: a store missing
      // there is named otherwise than then, and checking it against no heads would pass a cut-off tail.
      reports.push({
        store: location.name,
        checked: 0,
        knownHeads: 0,
        ok: false,
        error: `not in the heads file (it has ${Object.keys(heads.stores).join(', ') || 'no stores'}): name the store as when the heads were taken (name=URL)`,
      });
      continue;
    }
    try {
      const keys = sealKeys?.get(location.name);
      if (sealKeys && !keys) throw new Error('no seal keys given for this store');
      const result = await withStore(location, (store) => store.verify(known, keys));
      reports.push({ store: location.name, knownHeads: known.size, ...result });
    } catch (err) {
      reports.push({
        store: location.name,
        checked: 0,
        knownHeads: known.size,
        ok: false,
        error: (err as Error).message,
      });
    }
  }
  return reports;
}

/**
 * Seals the stream heads of one store written before its service had a key — only when its chains hold
 * against `heads` (taken from the copies on Kafka at the key rollout) and only heads equal to those
 * (docs/audit.md, "Seals").
 */
export async function sealStoreHeads(
  location: StoreLocation,
  sealer: EventSealer,
  heads: HeadsFile,
): Promise<{ report: StoreVerifyReport; sealed?: SealedHeads }> {
  const [report] = await verifyStores([location], heads);
  if (!report!.ok) return { report: report! };
  const known = new Map(Object.entries(heads.stores[location.name] ?? {}));
  return {
    report: report!,
    sealed: await withStore(location, (store) => store.sealUnsealedHeads(sealer, known)),
  };
}

/**
 * Retires a leaked key in one store: verifies it against `heads` (taken BEFORE the leak and kept outside)
 * and, only if it is whole, re-seals with `sealer` each head the `retired` key validly sealed that is the
 * head in that file.
 */
export async function resealStoreHeads(
  location: StoreLocation,
  sealer: EventSealer,
  retired: SealKeys,
  heads: HeadsFile,
): Promise<{ report: StoreVerifyReport; resealed?: ResealedHeads }> {
  const [report] = await verifyStores([location], heads);
  if (!report!.ok) return { report: report! };
  const known = new Map(Object.entries(heads.stores[location.name] ?? {}));
  return {
    report: report!,
    resealed: await withStore(location, (store) => store.resealHeads(sealer, retired, known)),
  };
}
