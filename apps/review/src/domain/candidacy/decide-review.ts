import { ReviewEventTypes as T } from '@nqpf/contracts';
import {
  IllegalTransitionError,
  InvalidInputError,
  NotFoundError,
  requireDate,
  requireInstant,
  requireText,
  RuleViolationError,
} from '@nqpf/domain';
import { conflictsOfInterest, shanghaiToday } from '@nqpf/rules';
import type { ExpertState } from '../expert/expert.decider';
import type { CandidacyCommand } from './candidacy.commands';
import { candidacyEvent, CandidacyEvent } from './candidacy.events';
import { Candidacy, CandidacyState, reviewStatus } from './candidacy.state';
import { existing, illegal } from './guards';

type Cmd<K extends CandidacyCommand['kind']> = Extract<CandidacyCommand, { kind: K }>;

/** Intake accepted the application: record it, and the A6 eligibility decision with every reason. */
export function open(command: Cmd<'open'>, state: CandidacyState): CandidacyEvent[] {
  if (state.status !== 'none') throw illegal(state, 'open candidacy');
  const at = requireInstant('at', command.at);
  const decision = command.eligibilityDecision;
  if (decision?.rule !== 'eligibility')
    throw new InvalidInputError('eligibilityDecision', 'must be the A6 eligibility decision from libs/rules');
  const a = command.accepted;
  const { applicationId, callId, operatorAccountId, district, acceptedAt, facts, materials } = a;
  const eligible = decision.outcome.eligible;
  const events: CandidacyEvent[] = [
    candidacyEvent(T.CandidacyOpened, {
      applicationId,
      callId,
      operatorAccountId,
      district,
      acceptedAt,
      facts,
      materials,
    }),
    candidacyEvent(T.EligibilityDecided, { applicationId, eligible, decidedAt: at, decision }),
  ];
  if (!eligible) {
    const failed = decision.reasons.filter((r) => !r.passed);
    events.push(
      candidacyEvent(T.ApplicationRejected, {
        applicationId,
        stage: 'eligibility',
        rejectedAt: at,
        ruleIds: [...new Set(failed.map((r) => r.ruleId))],
        reasons: failed.map((r) => `${r.ruleId} ${r.message.en}`),
      }),
    );
  }
  return events;
}

function registered(expert: ExpertState): Extract<ExpertState, { status: 'registered' }> {
  if (expert?.status !== 'registered')
    throw new InvalidInputError('expertId', 'no registered expert with this id');
  return expert;
}

/** A9.1: the institutions involved in the application (gathered ones and the operator) the expert declared. */
export function declaredConflicts(state: Candidacy, expert: ExpertState): string[] {
  if (expert?.status !== 'registered') return [];
  return conflictsOfInterest(expert.conflicts, [...state.facts.institutions, state.facts.operator]);
}

/**
 * A9.1: an expert never reviews an application involving an institution they declared a conflict with.
 * `note` adds what the caller may do about it.
 */
function noConflict(
  state: Candidacy,
  expert: Extract<ExpertState, { status: 'registered' }>,
  note = '',
): void {
  const found = declaredConflicts(state, expert);
  if (found.length > 0)
    throw new RuleViolationError(
      'A9.1',
      `expert ${expert.expertId} declared a conflict with ${found.join(', ')}, ` +
        `involved in application ${state.applicationId}${note}`,
      { expertId: expert.expertId, institutions: found },
    );
}

/**
 * An expert acts only on a candidacy assigned to them: another answers as one that does not exist (as the
 * handler's object check does), before its state is looked at — a 409 would tell it exists.
 */
function assigned(state: CandidacyState, expertId: string): void {
  if (state.status === 'none' || !state.experts.includes(expertId)) throw new NotFoundError('candidacy');
}

export function assignExpert(command: Cmd<'assign-expert'>, state: CandidacyState): CandidacyEvent[] {
  const s = existing(state, ['eligible'], 'assign expert');
  const expert = registered(command.expert);
  // The conflict first: assigned before declaring it, the expert is off the panel, not "already assigned".
  noConflict(
    s,
    expert,
    s.experts.includes(expert.expertId)
      ? ' after their assignment: they stay assigned, off the panel (unassign them with a reason)'
      : '',
  );
  if (s.experts.includes(expert.expertId))
    throw new IllegalTransitionError(`expert ${expert.expertId} already assigned`, 'assign expert');
  return [
    candidacyEvent(T.ExpertAssigned, {
      applicationId: s.applicationId,
      expertId: expert.expertId,
      assignedAt: requireInstant('at', command.at),
    }),
  ];
}

export function unassignExpert(command: Cmd<'unassign-expert'>, state: CandidacyState): CandidacyEvent[] {
  const s = existing(state, ['eligible'], 'unassign expert');
  if (!s.experts.includes(command.expertId))
    throw new IllegalTransitionError(`expert ${command.expertId} not assigned`, 'unassign expert');
  return [
    candidacyEvent(T.ExpertUnassigned, {
      applicationId: s.applicationId,
      expertId: command.expertId,
      unassignedAt: requireInstant('at', command.at),
      reason: requireText('reason', command.reason),
    }),
  ];
}

export function recordReview(command: Cmd<'record-review'>, state: CandidacyState): CandidacyEvent[] {
  const expert = registered(command.expert);
  assigned(state, expert.expertId);
  const s = existing(state, ['eligible'], 'record review');
  if (s.reviews.some((r) => r.expertId === expert.expertId))
    throw new IllegalTransitionError(`review by ${expert.expertId} already recorded`, 'record review');
  noConflict(s, expert);
  return [
    candidacyEvent(T.ExpertReviewRecorded, {
      applicationId: s.applicationId,
      expertId: expert.expertId,
      score: requireScore(command.score),
      opinion: requireText('opinion', command.opinion, 10_000),
      recordedAt: requireInstant('at', command.at),
    }),
  ];
}

/**
 * A9.1: an expert corrects their own review, saying why, while the list is not decided on it; the
 * correction replaces the review (the recorded one stays in the stream). The same score and opinion again
 * is no correction.
 */
export function reviseReview(command: Cmd<'revise-review'>, state: CandidacyState): CandidacyEvent[] {
  const action = 'revise review';
  const expert = registered(command.expert);
  assigned(state, expert.expertId);
  const s = existing(state, ['eligible'], action);
  const recorded = s.reviews.find((r) => r.expertId === expert.expertId);
  if (!recorded) throw new IllegalTransitionError(`no review by ${expert.expertId} recorded`, action);
  noConflict(s, expert);
  const score = requireScore(command.score);
  const opinion = requireText('opinion', command.opinion, 10_000);
  const reason = requireText('reason', command.reason);
  const revisedAt = requireInstant('at', command.at);
  if (score === recorded.score && opinion === recorded.opinion)
    throw new IllegalTransitionError(
      `the review by ${expert.expertId} already has this score and opinion`,
      action,
    );
  return [
    candidacyEvent(T.ExpertReviewRevised, {
      applicationId: s.applicationId,
      expertId: expert.expertId,
      score,
      opinion,
      reason,
      revisedAt,
      previousScore: recorded.score,
    }),
  ];
}

function requireScore(score: unknown): number {
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 100)
    throw new InvalidInputError('score', 'must be a whole number from 0 to 100');
  return score;
}

export function recordSiteInspection(
  command: Cmd<'record-site-inspection'>,
  state: CandidacyState,
): CandidacyEvent[] {
  const expert = registered(command.expert);
  assigned(state, expert.expertId);
  const s = existing(state, ['eligible'], 'record site inspection');
  if (s.inspections.some((i) => i.expertId === expert.expertId))
    throw new IllegalTransitionError(
      `site inspection by ${expert.expertId} already recorded`,
      'record site inspection',
    );
  noConflict(s, expert);
  const at = requireInstant('at', command.at);
  return [
    candidacyEvent(T.SiteInspectionRecorded, {
      applicationId: s.applicationId,
      expertId: expert.expertId,
      ...inspection(s, expert.expertId, command, at),
      recordedAt: at,
    }),
  ];
}

/**
 * A9.1: an expert corrects their own site inspection, saying why, while the list is not decided on it; the
 * correction replaces the inspection, under the same date rules. The same day, verdict and finding again
 * is no correction.
 */
export function reviseSiteInspection(
  command: Cmd<'revise-site-inspection'>,
  state: CandidacyState,
): CandidacyEvent[] {
  const action = 'revise site inspection';
  const expert = registered(command.expert);
  assigned(state, expert.expertId);
  const s = existing(state, ['eligible'], action);
  const recorded = s.inspections.find((i) => i.expertId === expert.expertId);
  if (!recorded)
    throw new IllegalTransitionError(`no site inspection by ${expert.expertId} recorded`, action);
  noConflict(s, expert);
  const at = requireInstant('at', command.at);
  const revised = inspection(s, expert.expertId, command, at);
  const reason = requireText('reason', command.reason);
  if (
    revised.inspectedOn === recorded.inspectedOn &&
    revised.satisfactory === recorded.satisfactory &&
    revised.finding === recorded.finding
  )
    throw new IllegalTransitionError(
      `the site inspection by ${expert.expertId} already has this day, verdict and finding`,
      action,
    );
  return [
    candidacyEvent(T.SiteInspectionRevised, {
      applicationId: s.applicationId,
      expertId: expert.expertId,
      ...revised,
      reason,
      revisedAt: at,
    }),
  ];
}

/**
 * A site inspection's day (Asia/Shanghai: from the acceptance day and the inspecting expert's latest
 * assignment day to today), verdict and finding. A9.1: the experts the bureau assigned inspect the site, so
 * a day before the assignment — or, for an expert unassigned and assigned again, before the latest one,
 * while they were off the panel — is no inspection of theirs.
 */
function inspection(
  s: Candidacy,
  expertId: string,
  command: { inspectedOn: string; satisfactory: boolean; finding: string },
  at: string,
): { inspectedOn: string; satisfactory: boolean; finding: string } {
  const inspectedOn = requireDate('inspectedOn', command.inspectedOn);
  if (inspectedOn > shanghaiToday(new Date(at)))
    throw new InvalidInputError('inspectedOn', `must not be in the future, got ${inspectedOn}`);
  if (inspectedOn < s.acceptedOn)
    throw new InvalidInputError(
      'inspectedOn',
      `must not be before the application was accepted (${s.acceptedOn}), got ${inspectedOn}`,
    );
  const assignedOn = s.assignedOn[expertId];
  if (assignedOn !== undefined && inspectedOn < assignedOn)
    throw new InvalidInputError(
      'inspectedOn',
      `must not be before expert ${expertId} was assigned (${assignedOn}; A9.1: the experts the bureau ` +
        `assigned inspect the site), got ${inspectedOn}`,
    );
  if (typeof command.satisfactory !== 'boolean')
    throw new InvalidInputError('satisfactory', 'must be true or false');
  return {
    inspectedOn,
    satisfactory: command.satisfactory,
    finding: requireText('finding', command.finding, 10_000),
  };
}

/** A9.2: the list is decided from eligible, reviewed applications; leaving one off is always possible. */
export function decideListing(command: Cmd<'decide-listing'>, state: CandidacyState): CandidacyEvent[] {
  const s = existing(state, ['eligible'], 'decide listing');
  const payload = {
    applicationId: s.applicationId,
    listId: requireText('listId', command.listId, 100),
    decidedAt: requireInstant('at', command.at),
    reason: requireText('reason', command.reason),
  };
  if (!command.listed) return [candidacyEvent(T.CandidacyNotListed, payload)];
  const { reviewed, missing } = reviewStatus(s, command.conflictedExpertIds);
  if (!reviewed)
    throw new RuleViolationError(
      'A9.2',
      `application ${s.applicationId} is not reviewed: the list is decided on the review of every assigned ` +
        `expert without a conflict and a site inspection; missing ${missing.join(', ')}`,
      { missing },
    );
  return [candidacyEvent(T.CandidacyListed, payload)];
}
