import { createHash } from 'node:crypto';
import { comparableText } from '@nqpf/domain';
import type { ApplicationFactsV1, MaterialV1 } from '@nqpf/contracts';

export type CandidacyStatus =
  | 'none'
  | 'opened'
  | 'eligible'
  | 'rejected'
  | 'listed'
  | 'not-listed'
  | 'in-publicity'
  | 'publicity-ended'
  | 'recognized';

/** `refused`: a letter the bureau entered that A9.4 does not accept (late, early or anonymous); never open. */
export type ObjectionStatus = 'raised' | 'investigating' | 'upheld' | 'dismissed' | 'refused';

export interface Candidacy {
  status: Exclude<CandidacyStatus, 'none'>;
  applicationId: string;
  callId: string;
  district: string;
  operatorAccountId: string;
  facts: ApplicationFactsV1;
  /** The application's materials as accepted (names, types, sizes, SHA-256): what the experts review. */
  materials: MaterialV1[];
  /** The day intake accepted the application (Asia/Shanghai): no site inspection is dated before it. */
  acceptedOn: string;
  rejection?: { stage: 'eligibility' | 'objection'; ruleIds: string[]; reasons: string[] };
  /** Experts currently assigned. */
  experts: string[];
  /**
   * The day (Asia/Shanghai) of each assigned expert's latest assignment, from the assignment events: no
   * site inspection of theirs is dated before it (A9.1: the experts the bureau assigned inspect the site).
   */
  assignedOn: Record<string, string>;
  /** Reviews and inspections of experts assigned now: an unassignment drops theirs (the events stay). */
  reviews: { expertId: string; score: number; opinion: string }[];
  inspections: { expertId: string; satisfactory: boolean; inspectedOn: string; finding: string }[];
  listId?: string;
  publicity?: {
    publishedOn: string;
    lastDay: string;
    endsAt: string;
    calendarVersion: string;
    /** The policy the period was decided under; objections are judged under it too. */
    policyVersion: string;
  };
  objections: Record<string, ObjectionStatus>;
  /**
   * The first objection id raised under each objectionKey (a digest of objector and content), so the bureau
   * enters a letter of it once; the public route records a repeat as another (raiseObjection says why).
   */
  objectionKeys: Record<string, string>;
  /**
   * The objection id each refused letter was recorded under, by refusedLetterKey (objector, content and
   * receipt), so the same letter is recorded once. Apart from objectionKeys: a letter refused as received
   * before the publication day does not bar the same objection raised during the period.
   */
  refusedLetterKeys: Record<string, string>;
  signatures: { bureau?: string; district?: string };
  recognitionDate?: string;
}

export type CandidacyState = { status: 'none' } | Candidacy;

/**
 * What makes two objections the same: who raised it (name and contact) and what it says, spacing aside.
 * The bureau's letter of one already raised is refused, naming the first (a public repeat is recorded:
 * raiseObjection). A digest, so the state (and its snapshots) keeps 64 characters per objection, not up to
 * 10 000 of text.
 */
export function objectionKey(name: string, contact: string, content: string): string {
  return createHash('sha256')
    .update(JSON.stringify([name, contact, content].map(comparableText)))
    .digest('hex');
}

/**
 * What makes two refused letters the same letter: the objector as written, what it says and when it was
 * received (the same letter entered twice; another letter of the same text received another time is
 * another letter, and recorded).
 */
export function refusedLetterKey(
  objector: { name?: string; contact?: string },
  content: string,
  receivedAt: string,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        ...[objector.name ?? '', objector.contact ?? '', content].map(comparableText),
        Date.parse(receivedAt),
      ]),
    )
    .digest('hex');
}

/** Objections raised but not yet ruled on (a refused letter is never pending). */
export function pendingObjections(state: Candidacy): string[] {
  return Object.entries(state.objections)
    .filter(([, status]) => status === 'raised' || status === 'investigating')
    .map(([id]) => id);
}

/**
 * A9.1 done: every assigned expert without a declared conflict (`conflicted`) has recorded a review, and
 * one of them a site inspection. Reviews and inspections of an expert since unassigned (the state drops
 * them) or who declared a conflict afterwards do not count (they stay recorded). `missing` names what is
 * still owed.
 */
export function reviewStatus(
  state: Candidacy,
  conflicted: readonly string[] = [],
): { reviewed: boolean; missing: string[] } {
  const panel = state.experts.filter((id) => !conflicted.includes(id));
  const missing = panel
    .filter((id) => !state.reviews.some((r) => r.expertId === id))
    .map((id) => `a review by ${id}`);
  if (panel.length === 0) missing.push('an assigned expert without a conflict');
  if (!state.inspections.some((i) => panel.includes(i.expertId))) missing.push('a site inspection');
  return { reviewed: missing.length === 0, missing };
}

/**
 * The standing's application phase (RULES.md "Standing of a center"), for read models and messages; an
 * expert in `conflicted` (a conflict declared on their own stream) does not count on the panel.
 */
export function phaseOf(state: CandidacyState, conflicted: readonly string[] = []): string {
  switch (state.status) {
    case 'eligible':
      return reviewStatus(state, conflicted).reviewed ? 'reviewed' : 'eligible';
    case 'in-publicity':
      return pendingObjections(state).length > 0 ? 'objection pending' : 'in publicity';
    case 'publicity-ended':
      return pendingObjections(state).length > 0 ? 'objection pending' : 'publicity passed';
    default:
      return state.status;
  }
}
