import type { SnapshottedDecider } from '@nqpf/platform';
import { candidacyDecider } from '../domain/candidacy/candidacy.decider';
import type { CandidacyCommand } from '../domain/candidacy/candidacy.commands';
import type { CandidacyEvent } from '../domain/candidacy/candidacy.events';
import type { CandidacyState } from '../domain/candidacy/candidacy.state';

/**
 * A candidacy's stream is short (~20 events) unless publicity draws many objections (A9.4: anyone may
 * raise one, each stays): it loads from a snapshot taken every 50 events plus the tail. Bump stateVersion
 * when evolve or the state's shape changes (2: the acceptance day; an unassignment drops the expert's
 * review and inspection; 3: the materials as accepted; 4: a review's opinion, an inspection's day and finding;
 * 5: each assigned expert's latest assignment day; 6: refused letters and their keys).
 */
export const candidacyAggregate: SnapshottedDecider<CandidacyCommand, CandidacyEvent, CandidacyState> = {
  ...candidacyDecider,
  snapshots: { aggregateType: 'review-candidacy', stateVersion: 6, every: 50 },
};
