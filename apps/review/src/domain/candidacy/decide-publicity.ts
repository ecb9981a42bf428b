import { ReviewEventTypes as T } from '@nqpf/contracts';
import {
  givenText,
  IllegalTransitionError,
  InvalidInputError,
  NotFoundError,
  requireDate,
  requireInstant,
  requireName,
  requireText,
  RuleViolationError,
} from '@nqpf/domain';
import { shanghaiToday, shanghaiWallTime, startOfDayShanghai } from '@nqpf/rules';
import type { AdmissibilityDecision, CandidacyCommand } from './candidacy.commands';
import { candidacyEvent, CandidacyEvent } from './candidacy.events';
import {
  Candidacy,
  CandidacyState,
  objectionKey,
  pendingObjections,
  refusedLetterKey,
} from './candidacy.state';
import { existing, illegal } from './guards';

type Cmd<K extends CandidacyCommand['kind']> = Extract<CandidacyCommand, { kind: K }>;

/** Instants compared as moments, whatever their offsets. */
const isBefore = (a: string, b: string) => Date.parse(a) < Date.parse(b);

/** A9.3: publicity of a listed application; its end comes from libs/rules with the calendar version. */
export function startPublicity(command: Cmd<'start-publicity'>, state: CandidacyState): CandidacyEvent[] {
  const s = existing(state, ['listed'], 'start publicity');
  const decision = command.publicityDecision;
  if (decision?.rule !== 'publicity-end')
    throw new InvalidInputError(
      'publicityDecision',
      'must be the A9.3 publicity-end decision from libs/rules',
    );
  if (!decision.calendarVersion)
    throw new InvalidInputError(
      'publicityDecision.calendarVersion',
      'the calendar version used must be recorded',
    );
  const publishedOn = requireDate('publicityDecision.inputs.publishedOn', decision.inputs.publishedOn);
  const at = requireInstant('at', command.at);
  requireNotBackdated(publishedOn, at);
  return [
    candidacyEvent(T.PublicityStarted, {
      applicationId: s.applicationId,
      listId: s.listId ?? '',
      publishedOn,
      lastDay: decision.outcome.lastDay,
      endsAt: requireInstant('publicityDecision.outcome.endsAtExclusive', decision.outcome.endsAtExclusive),
      calendarVersion: decision.calendarVersion,
      startedAt: at,
      decision,
    }),
  ];
}

/**
 * A9.3: the list is published today or later (Asia/Shanghai, the day `at` falls on). An earlier day would
 * count working days nobody could see the list or object in; the period could even be over on arrival.
 */
export function requireNotBackdated(publishedOn: string, at: string): void {
  const today = shanghaiToday(new Date(at));
  if (publishedOn < today)
    throw new RuleViolationError(
      'A9.3',
      `publishedOn ${publishedOn} is before today ${today} (Asia/Shanghai): a publicity cannot be backdated`,
      { field: 'publishedOn', publishedOn, today },
    );
}

function publicityOf(s: Candidacy): NonNullable<Candidacy['publicity']> {
  // Present in every state after publicity-started; evolve guarantees it.
  return s.publicity as NonNullable<Candidacy['publicity']>;
}

/**
 * A9.4: only during the period, and only under a real name with a way to reach the objector. Anyone may
 * call this, signed in or not: an application never published for publicity (or before its publication
 * day) answers as one that does not exist, and one that left publicity answers like a late objection, so
 * the route tells nobody which applications there are, or how far they got. An objection received during
 * the period is recorded even when the deadline timer ended publicity first: signing then waits for it.
 * A letter the bureau entered that the rules refuse is recorded refused, with their decision (refuseLetter);
 * an objection on the public route they refuse is answered 422 and recorded nowhere.
 */
export function raiseObjection(command: Cmd<'raise-objection'>, state: CandidacyState): CandidacyEvent[] {
  const action = 'raise objection';
  if (state.status === 'none' || !state.publicity) throw new NotFoundError('application in publicity');
  const at = requireInstant('at', command.at);
  const letter = command.letter && {
    reference: requireText('letter.reference', command.letter.reference, 200),
    enteredAt: requireInstant('letter.enteredAt', command.letter.enteredAt),
  };
  if (letter && isBefore(letter.enteredAt, at))
    throw new InvalidInputError('receivedAt', `${at} is after the letter was entered (${letter.enteredAt})`);
  if (letter) {
    const decision = rulesDecision(command, at, state.publicity);
    if (!decision.outcome.admissible) return refuseLetter(command, state, at, letter, decision);
  }
  if (isBefore(at, startOfDayShanghai(state.publicity.publishedOn))) {
    if (!letter) throw new NotFoundError('application in publicity');
    // The bureau knows the publicity: its letter's date is simply outside the period.
    throw new RuleViolationError(
      'A9.4',
      `a letter received ${shanghaiWallTime(new Date(at))} Asia/Shanghai predates the publicity of ${state.publicity.publishedOn}`,
      { field: 'receivedAt', publishedOn: state.publicity.publishedOn, receivedAt: at },
    );
  }
  if (!isBefore(at, state.publicity.endsAt)) throw late(state, at);
  if (state.status !== 'in-publicity' && state.status !== 'publicity-ended')
    throw new RuleViolationError('A9.4', `objections to application ${state.applicationId} are closed`);
  const name = givenText(command.objector?.name);
  const contact = givenText(command.objector?.contact);
  if (!name || !contact)
    throw new RuleViolationError(
      'A9.4',
      'anonymous objections are not accepted: the objector must give a real name and a way to reach them',
      { field: !name ? 'objector.name' : 'objector.contact' },
    );
  const admissibility = admissible(command, at, state.publicity);
  const objectionId = requireText('objectionId', command.objectionId, 100);
  if (Object.hasOwn(state.objections, objectionId))
    throw new IllegalTransitionError(`objection ${objectionId} ${state.objections[objectionId]}`, action);
  const content = requireText('content', command.content, 10_000);
  // The bureau enters a letter once: the same objection again is refused, naming the first. On the public
  // route it is recorded as another objection (the bureau dismisses the repeat when it rules). Any other
  // answer told whoever knows an objection's text who objected: a refusal, even unnamed, answers a guessed
  // name and contact unlike a miss, and so does an acceptance recording nothing, since the center then
  // sees no new objection in its view and standing. Retries are safe with Idempotency-Key.
  const key = objectionKey(name, contact, content);
  const same = Object.hasOwn(state.objectionKeys, key) ? state.objectionKeys[key] : undefined;
  if (same && letter)
    throw new IllegalTransitionError(`the same objection (objector and content) raised as ${same}`, action);
  return [
    candidacyEvent(T.ObjectionRaised, {
      applicationId: state.applicationId,
      objectionId,
      objector: {
        name: requireName('objector.name', name, 200),
        contact: requireText('objector.contact', contact, 200),
      },
      content,
      raisedAt: at,
      admissibility,
      ...(letter ? { letter } : {}),
    }),
  ];
}

/**
 * A9.4, a letter the rules refuse (received outside the period, or anonymous): recorded refused with their
 * decision, so the auditor sees every letter the bureau received and why it was not considered. Never
 * open: nothing waits for it and nobody rules on it. The same letter (objector, content, receipt) is
 * recorded once; one the same as an objection already raised (objector and content) is that objection.
 */
function refuseLetter(
  command: Cmd<'raise-objection'>,
  state: Candidacy,
  receivedAt: string,
  letter: { reference: string; enteredAt: string },
  admissibility: AdmissibilityDecision,
): CandidacyEvent[] {
  const action = 'record refused objection';
  const name = givenText(command.objector?.name);
  const contact = givenText(command.objector?.contact);
  const objector = {
    ...(name ? { name: requireName('objector.name', name, 200) } : {}),
    ...(contact ? { contact: requireText('objector.contact', contact, 200) } : {}),
  };
  const content = requireText('content', command.content, 10_000);
  const objectionId = requireText('objectionId', command.objectionId, 100);
  if (Object.hasOwn(state.objections, objectionId))
    throw new IllegalTransitionError(`objection ${objectionId} ${state.objections[objectionId]}`, action);
  const raised = name && contact ? objectionKey(name, contact, content) : undefined;
  const sameRaised =
    raised && Object.hasOwn(state.objectionKeys, raised) ? state.objectionKeys[raised] : undefined;
  if (sameRaised)
    throw new IllegalTransitionError(
      `the same objection (objector and content) raised as ${sameRaised}`,
      action,
    );
  const key = refusedLetterKey(objector, content, receivedAt);
  const sameRefused = Object.hasOwn(state.refusedLetterKeys, key) ? state.refusedLetterKeys[key] : undefined;
  if (sameRefused)
    throw new IllegalTransitionError(
      `the same letter (objector, content and receipt) refused as ${sameRefused}`,
      action,
    );
  return [
    candidacyEvent(T.ObjectionRefused, {
      applicationId: state.applicationId,
      objectionId,
      objector,
      content,
      receivedAt,
      letter,
      admissibility,
    }),
  ];
}

/**
 * The rules' A9.4 decision, whatever its outcome, checked to be about this objection: its moment, this
 * publicity (day, end, the policy it was decided under) and the objector as given. A refusal is recorded
 * with it, so it must be the one the rules took for this letter.
 */
function rulesDecision(
  command: Cmd<'raise-objection'>,
  at: string,
  publicity: NonNullable<Candidacy['publicity']>,
): AdmissibilityDecision {
  const decision = command.admissibility;
  if (decision?.rule !== 'objection-admissible')
    throw new InvalidInputError(
      'admissibility',
      'must be the A9.4 objection-admissible decision from libs/rules',
    );
  const { inputs } = decision;
  const name = givenText(command.objector?.name);
  const contact = givenText(command.objector?.contact);
  if (
    inputs.receivedAt !== at ||
    inputs.publishedOn !== publicity.publishedOn ||
    inputs.publicityEndsAtExclusive !== publicity.endsAt ||
    decision.policyVersion !== publicity.policyVersion
  )
    throw new InvalidInputError('admissibility', 'was taken for another moment or another publicity period');
  if (inputs.realName !== name || inputs.contact !== contact)
    throw new InvalidInputError('admissibility', 'was taken for another objector');
  return decision;
}

/** The rules' A9.4 decision about this objection (rulesDecision); its refusal stands. */
function admissible(
  command: Cmd<'raise-objection'>,
  at: string,
  publicity: NonNullable<Candidacy['publicity']>,
): AdmissibilityDecision {
  const decision = rulesDecision(command, at, publicity);
  if (!decision.outcome.admissible)
    throw new RuleViolationError(
      'A9.4',
      `objection not accepted: ${decision.reasons
        .filter((r) => !r.passed)
        .map((r) => r.message.en)
        .join('; ')}`,
      { failed: decision.outcome.failed },
    );
  return decision;
}

function late(s: Candidacy, at: string): RuleViolationError {
  const { lastDay, endsAt } = publicityOf(s);
  return new RuleViolationError(
    'A9.4',
    `objections are accepted only during publicity, which ended ${lastDay} 24:00 Asia/Shanghai (${endsAt}); ` +
      `received ${shanghaiWallTime(new Date(at))} Asia/Shanghai`,
    { lastDay, endsAt, receivedAt: at },
  );
}

function openObjection(s: Candidacy, objectionId: string, action: string): void {
  // Own keys only: 'constructor' or '__proto__' is no objection.
  const status = Object.hasOwn(s.objections, objectionId) ? s.objections[objectionId] : undefined;
  if (!status) throw new NotFoundError('objection', objectionId);
  if (status !== 'raised' && status !== 'investigating')
    throw new IllegalTransitionError(`objection ${objectionId} ${status}`, action);
}

export function investigateObjection(
  command: Cmd<'investigate-objection'>,
  state: CandidacyState,
): CandidacyEvent[] {
  const s = existing(state, ['in-publicity', 'publicity-ended'], 'investigate objection');
  openObjection(s, command.objectionId, 'investigate objection');
  if (s.objections[command.objectionId] === 'investigating')
    throw new IllegalTransitionError(
      `objection ${command.objectionId} investigating`,
      'investigate objection',
    );
  const payload = {
    applicationId: s.applicationId,
    objectionId: command.objectionId,
    startedAt: requireInstant('at', command.at),
    ...(command.note === undefined ? {} : { note: requireText('note', command.note) }),
  };
  return [candidacyEvent(T.ObjectionInvestigationStarted, payload)];
}

/** Upheld → the application leaves the list (rejected, with the reason); dismissed → it stays. */
export function ruleOnObjection(command: Cmd<'rule-on-objection'>, state: CandidacyState): CandidacyEvent[] {
  const s = existing(state, ['in-publicity', 'publicity-ended'], 'rule on objection');
  openObjection(s, command.objectionId, 'rule on objection');
  const ruling = {
    applicationId: s.applicationId,
    objectionId: command.objectionId,
    ruledAt: requireInstant('at', command.at),
    reason: requireText('reason', command.reason),
  };
  if (!command.upheld) return [candidacyEvent(T.ObjectionDismissed, ruling)];
  return [
    candidacyEvent(T.ObjectionUpheld, ruling),
    candidacyEvent(T.ApplicationRejected, {
      applicationId: s.applicationId,
      stage: 'objection',
      rejectedAt: ruling.ruledAt,
      ruleIds: ['A9.4'],
      reasons: [`A9.4 objection ${command.objectionId} upheld: ${ruling.reason}`],
    }),
  ];
}

/** The stored deadline fired. Firing again is harmless (timers deliver at least once). */
export function endPublicity(command: Cmd<'end-publicity'>, state: CandidacyState): CandidacyEvent[] {
  if (state.status === 'publicity-ended' || state.status === 'recognized') return [];
  const s = existing(state, ['in-publicity'], 'end publicity');
  const at = requireInstant('at', command.at);
  const { lastDay, endsAt } = publicityOf(s);
  if (isBefore(at, endsAt))
    throw new RuleViolationError('A9.3', `publicity runs until ${lastDay} 24:00 Asia/Shanghai (${endsAt})`, {
      lastDay,
      endsAt,
    });
  return [
    candidacyEvent(T.PublicityEnded, {
      applicationId: s.applicationId,
      lastDay,
      endedAt: at,
      pendingObjectionIds: pendingObjections(s),
    }),
  ];
}

/**
 * The recognition date when `party` signs on `signedOn`: the later of the two signing days once the other
 * party has signed, else undefined (this is the first signature).
 */
export function recognitionDateOf(
  signatures: { bureau?: string; district?: string },
  party: 'bureau' | 'district',
  signedOn: string,
): string | undefined {
  const other = party === 'bureau' ? signatures.district : signatures.bureau;
  if (other === undefined) return undefined;
  return signedOn > other ? signedOn : other;
}

/**
 * The version in force on the recognition date, as the handler read it from the published policies: not the
 * caller's input, so no 400 names it. Recorded as it is, whatever its length: finance bounds a version's
 * name when it is published (POLICY_VERSION_PATTERN, libs/rules), but one published before that may be in
 * force, and refusing it would block every recognition until a corrected version took effect. Missing, the
 * handler failed to supply it: an internal error, not the caller's.
 */
function versionInForce(version: string | undefined): string {
  if (typeof version !== 'string' || version.trim() === '')
    throw new Error('sign-agreement: the recognising signature was given no policy version in force');
  return version;
}

/** A9.4: after publicity, with nothing pending or upheld, both parties sign; the second signing recognises. */
export function signAgreement(command: Cmd<'sign-agreement'>, state: CandidacyState): CandidacyEvent[] {
  const party = command.party;
  if (party !== 'bureau' && party !== 'district')
    throw new InvalidInputError('party', 'must be bureau or district');
  // Another district's candidacy answers as one that does not exist, before its state is looked at.
  if (party === 'district' && state.status !== 'none' && command.district !== state.district)
    throw new NotFoundError('candidacy');
  if (state.status === 'in-publicity') throw illegal(state, 'sign agreement');
  const s = existing(state, ['publicity-ended'], 'sign agreement');
  const pending = pendingObjections(s);
  if (pending.length > 0)
    throw new RuleViolationError('A9.4', `objection(s) ${pending.join(', ')} still pending`, { pending });
  if (s.signatures[party])
    throw new IllegalTransitionError(`agreement signed by ${party}`, `sign agreement as ${party}`);
  const at = requireInstant('at', command.at);
  const reason = requireText('reason', command.reason, 2000);
  const signedOn = shanghaiToday(new Date(at));
  const events: CandidacyEvent[] = [
    candidacyEvent(T.AgreementSigned, {
      applicationId: s.applicationId,
      party,
      district: s.district,
      signedOn,
      signedAt: at,
      reason,
    }),
  ];
  const recognitionDate = recognitionDateOf(s.signatures, party, signedOn);
  if (recognitionDate !== undefined) {
    const { name, creditCode } = s.facts.operator;
    events.push(
      candidacyEvent(T.CenterRecognized, {
        centerId: s.applicationId,
        recognitionDate,
        district: s.district,
        operator: { accountId: s.operatorAccountId, name, creditCode },
        callId: s.callId,
        // The facts eligibility was decided on: reporting's baseline for A16 major changes.
        facts: s.facts,
        policyVersion: versionInForce(command.policyVersion),
      }),
    );
  }
  return events;
}
