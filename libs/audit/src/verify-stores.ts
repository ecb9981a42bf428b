import type { BrokenLink } from '@nqpf/event-store';
import { withStore } from './open-store';
import type { StoreLocation } from './service-databases';

export interface StoreVerifyReport {
  store: string;
  /** Events examined, up to and including the first broken one. */
  checked: number;
  ok: boolean;
  firstBroken?: BrokenLink;
  /** Set when the store could not be read at all (then `ok` is false). */
  error?: string;
}

/** The hash chain of every stream of every store (PostgresEventStore.verify), one store after another. */
export async function verifyStores(locations: StoreLocation[]): Promise<StoreVerifyReport[]> {
  const reports: StoreVerifyReport[] = [];
  for (const location of locations) {
    try {
      const result = await withStore(location, (store) => store.verify());
      reports.push({ store: location.name, ...result });
    } catch (err) {
      reports.push({ store: location.name, checked: 0, ok: false, error: (err as Error).message });
    }
  }
  return reports;
}
