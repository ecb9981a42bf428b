import type { Projector } from '@nqpf/projections';
import { ledgerProjector } from '../ledger/ledger.projector';
import { standingProjector } from '../standing/standing.projector';

export const READ_MODEL_NAMES = ['standing', 'ledger'] as const;
export type ReadModelName = (typeof READ_MODEL_NAMES)[number];

/** The registry's read models, in the order they are rebuilt. */
export function readModels(topicPrefix: string): Record<ReadModelName, Projector> {
  return { standing: standingProjector(topicPrefix), ledger: ledgerProjector(topicPrefix) };
}
