import type { AggregateRepository } from '@nqpf/platform';
import { declaredConflicts } from '../domain/candidacy/decide-review';
import type { Candidacy } from '../domain/candidacy/candidacy.state';
import { expertDecider } from '../domain/expert/expert.decider';
import { expertStream } from '../candidacies/streams';

/**
 * A9.1: those of `expertIds` who declared a conflict with an institution the candidacy involves, read from
 * their own streams: the candidacy stream never records a conflict declared after an assignment.
 */
export async function conflictedExperts(
  repository: AggregateRepository,
  state: Candidacy,
  expertIds: readonly string[],
): Promise<string[]> {
  const conflicted: string[] = [];
  for (const expertId of expertIds) {
    const { state: expert } = await repository.load(expertDecider, expertStream(expertId));
    if (declaredConflicts(state, expert).length > 0) conflicted.push(expertId);
  }
  return conflicted;
}
