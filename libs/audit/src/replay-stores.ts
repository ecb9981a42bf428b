import { CalendarRegistry, defaultPolicyRegistry } from '@nqpf/rules';
import { CrossStoreReplay } from './cross-store';
import { withStore } from './open-store';
import {
  publishedPolicies,
  replayStore,
  type StoreReplayContext,
  type StoreReplayReport,
} from './replay-store';
import type { StoreLocation } from './service-databases';

export interface ReplayRun {
  stores: (StoreReplayReport & { error?: string })[];
  /**
   * Whether each decision's policy was held to the version in force on its day: only with the policy book
   * (finance's store, named `finance`) read, and not told to go without it.
   */
  policyInForceChecked: boolean;
  /** Policy versions the replay knew: the bundled default, those published in the stores, extra files. */
  policyVersions: string[];
  /**
   * What the report says before its stores: first the cross-store checks not made for want of a store (one
   * line, as `policyInForceChecked` false is), then the policies published in the stores that could not be
   * registered (their decisions will then mismatch).
   */
  warnings: string[];
  decisions: number;
  matches: number;
  mismatches: number;
  elapsedMs: number;
}

export interface ReplayExtras {
  /** Policy versions kept outside the stores. */
  policies?: unknown[];
  /** Calendar years loaded into the services after their release (NQPF_CALENDAR_YEARS). */
  calendarYears?: unknown[];
  /** Replay without the policy-in-force checks even when finance's store is among the locations. */
  withoutPolicyBook?: boolean;
}

/** The store that holds the policy book (finance.policy-published): finance's, named so. */
export const POLICY_BOOK_STORE = 'finance';

/**
 * A policy or calendar year given in `extras` that the replay cannot take: not a valid one, or other
 * content under a version already known (published in the stores, bundled, or given before). A mistake in
 * the command, not in the stores: nothing is replayed. `index` is the file's place in its list.
 */
export class ReplayExtraError extends Error {
  constructor(
    readonly extra: 'policies' | 'calendarYears',
    readonly index: number,
    message: string,
  ) {
    super(message);
    this.name = 'ReplayExtraError';
  }
}

/**
 * Replays every recorded decision of every store. Policies come from the stores themselves (finance's
 * policy book) so a decision is re-run with the version it names, never today's; `extras` adds policy
 * versions and calendar years kept elsewhere. Which version was in force on a decision's day is known only
 * from the policy book: without a store named `finance` among the locations (or with `withoutPolicyBook`)
 * those checks are not made, and the run says so (`policyInForceChecked`), rather than taking the bundled
 * default, or whatever the other stores hold, for the whole book.
 */
export async function replayStores(
  locations: StoreLocation[],
  extras: ReplayExtras = {},
): Promise<ReplayRun> {
  const started = performance.now();
  const publishedAt = new Map<string, string>();
  const policyInForceChecked =
    extras.withoutPolicyBook !== true && locations.some((l) => l.name === POLICY_BOOK_STORE);
  const crossStore = new CrossStoreReplay();
  const context: StoreReplayContext = {
    policies: defaultPolicyRegistry(),
    calendars: new CalendarRegistry(),
    publishedAt,
    policyInForce: policyInForceChecked,
    crossStore,
  };
  const warnings: string[] = [];
  // Published in a store: one that cannot be registered is reported, and its decisions mismatch.
  const registerPolicy = (raw: unknown, source: string) => {
    try {
      context.policies.register(raw);
    } catch (err) {
      warnings.push(`${source}: ${(err as Error).message}`);
    }
  };
  const failed = new Map<string, string>();
  for (const location of locations) {
    try {
      const published = await withStore(location, publishedPolicies);
      published.forEach((p) => {
        registerPolicy(p.policy, `${location.name}: published policy ${p.version}`);
        publishedAt.set(p.version, p.recordedAt);
      });
    } catch (err) {
      failed.set(location.name, (err as Error).message);
    }
  }
  // Given by the command: one that cannot be taken stops the replay, it is no warning (ReplayExtraError).
  const given = (extra: ReplayExtraError['extra'], index: number, entry: string, register: () => unknown) => {
    try {
      register();
    } catch (err) {
      throw new ReplayExtraError(extra, index, `${entry}${(err as Error).message}`);
    }
  };
  // A file may hold one version or finance's GET /policies answer (an array of them).
  (extras.policies ?? []).forEach((p, i) =>
    (Array.isArray(p) ? p : [p]).forEach((one, j) =>
      given('policies', i, Array.isArray(p) ? `[${j}] ` : '', () => context.policies.register(one)),
    ),
  );
  (extras.calendarYears ?? []).forEach((y, i) =>
    given('calendarYears', i, '', () => context.calendars.register(y)),
  );
  const stores: ReplayRun['stores'] = [];
  for (const location of locations) {
    const error = failed.get(location.name);
    const empty = { store: location.name, events: 0, decisions: 0, matches: 0, mismatches: [] };
    if (error) {
      stores.push({ ...empty, error });
      continue;
    }
    try {
      stores.push(await withStore(location, (store) => replayStore(location.name, store, context)));
    } catch (err) {
      stores.push({ ...empty, error: (err as Error).message });
    }
  }
  // Decisions copied from another store, against the stores read whole (a store read in part says nothing).
  const notMade = crossStore.finish(new Set(stores.filter((s) => !s.error).map((s) => s.store)));
  warnings.unshift(...notMade);
  const sum = (f: (s: StoreReplayReport) => number) => stores.reduce((n, s) => n + f(s), 0);
  return {
    stores,
    policyInForceChecked,
    policyVersions: context.policies.versions(),
    warnings,
    decisions: sum((s) => s.decisions),
    matches: sum((s) => s.matches),
    mismatches: sum((s) => s.mismatches.length),
    elapsedMs: performance.now() - started,
  };
}
