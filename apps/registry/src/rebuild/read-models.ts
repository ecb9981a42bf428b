import type { Projector } from '@nqpf/projections';
import { ledgerProjector } from '../ledger/ledger.projector';
import { standingProjector } from '../standing/standing.projector';

export const READ_MODEL_NAMES = ['standing', 'ledger'] as const;
export type ReadModelName = (typeof READ_MODEL_NAMES)[number];

/**
 * Start of the throwaway consumer groups of the registry's replays (rebuilds, as-of): inside
 * `<prefix>.registry.`, the group namespace its Kafka principal is granted.
 */
export const replayGroupPrefixOf = (topicPrefix: string) => `${topicPrefix}.registry.replay.`;

/** The registry's read models, in the order they are rebuilt. */
export function readModels(topicPrefix: string): Record<ReadModelName, Projector> {
  return { standing: standingProjector(topicPrefix), ledger: ledgerProjector(topicPrefix) };
}
