import { MAJOR_CHANGE_KINDS_V1, MajorChangeKindV1, ReportingEventTypes as T } from '@nqpf/contracts';
import { factsOn, IllegalTransitionError, InvalidInputError, mergeFacts } from '@nqpf/domain';
import { decideMajorChange } from '@nqpf/rules';
import { requireDate, requireOneOf, requireText, underRules } from '@nqpf/domain';
import { requireActive, requireNotAfter, requireNotBefore } from './guards';
import {
  factsBeforeChange,
  majorChangeKey,
  readNewFacts,
  requireCompleteFacts,
  requireReportedWithChange,
} from './major-change-facts';
import { ObligationsCommand, ObligationsEvent, ObligationsState } from './obligations.types';

/** The facts the rule reads under `factsAfterChange.`; the command reports them under `newFacts.`. */
const renameFactsField = (field: string) => field.replace(/^factsAfterChange/, 'newFacts');
const NO_BASELINE = ' (no art. 6 facts came with the recognition: report all of them)';

/**
 * A16: a major change reported in writing, with the new facts; the facts after the change (the facts on its
 * effective day with the new ones merged in, group by group: major-change-facts.ts) are re-checked against
 * art. 6 once every fact the check reads is there, beside the facts before it: what fails only after the
 * change revokes.
 */
export function reportMajorChange(
  c: Extract<ObligationsCommand, { kind: 'report-major-change' }>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'report major change');
  const changeId = requireText('changeId', c.changeId, 100);
  if (state.majorChanges[changeId])
    throw new IllegalTransitionError(`major change ${changeId} already reported`, 'report major change');
  if (!Array.isArray(c.changes) || c.changes.length === 0)
    throw new InvalidInputError('changes', `must name at least one of ${MAJOR_CHANGE_KINDS_V1.join(', ')}`);
  const changes: MajorChangeKindV1[] = [
    ...new Set(c.changes.map((k, i) => requireOneOf(`changes[${i}]`, k, MAJOR_CHANGE_KINDS_V1))),
  ];
  const today = requireDate('today', c.today);
  const effectiveOn = requireDate('effectiveOn', c.effectiveOn);
  requireNotAfter('effectiveOn', effectiveOn, today, 'today', 'A16');
  // A change before recognition changed the facts that were recognised, not a recognised center's.
  requireNotBefore('effectiveOn', effectiveOn, state.recognizedOn, 'the recognition date', 'A16');
  const description = requireText('description', c.description);
  const newFacts = readNewFacts(c.newFacts, changes);
  const same = state.majorChangeKeys[majorChangeKey(changes, effectiveOn, newFacts)];
  if (same)
    throw new IllegalTransitionError(
      `the same change (kinds, effective day and facts) reported as ${same}`,
      'report major change',
    );
  requireReportedWithChange(changes, newFacts);
  // The facts on the change's effective day: a change reported after a later one is not judged against it.
  const before = factsOn(state.recognizedFacts, state.factChanges, effectiveOn);
  const factsAfterChange = mergeFacts(before, newFacts);
  requireCompleteFacts(factsAfterChange, before === null ? NO_BASELINE : '');
  const decision = underRules(
    // The facts before the change too: only a criterion the change made fail revokes (A16, rules-2026.4).
    () =>
      decideMajorChange(
        { changes, factsAfterChange, factsBeforeChange: factsBeforeChange(before) },
        c.policy,
      ),
    renameFactsField,
    before === null ? NO_BASELINE : '',
  );
  return [
    {
      type: T.MajorChangeReported,
      schemaVersion: 1,
      payload: {
        centerId: state.centerId,
        changeId,
        changes,
        description,
        effectiveOn,
        reportedOn: today,
        newFacts,
      },
    },
    {
      type: T.MajorChangeEvaluated,
      schemaVersion: 1,
      payload: {
        centerId: state.centerId,
        changeId,
        stillEligible: decision.outcome.stillEligible,
        failed: decision.outcome.failed,
        evaluatedOn: today,
        decision,
      },
    },
  ];
}
