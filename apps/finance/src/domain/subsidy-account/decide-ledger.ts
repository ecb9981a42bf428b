import { ExpenditureDecisionV1, FinanceEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, NotFoundError, RuleViolationError } from '@nqpf/domain';
import { decideExpenditure, Policy, withinSupportYear } from '@nqpf/rules';
import { Money } from '../money/money';
import {
  checkDate,
  checkEvidenceHash,
  checkOptionalText,
  checkSupportYear,
  checkText,
  MAX_ID,
} from '../shared/checks';
import {
  CorrectEntry,
  Disburse,
  HeldGrantRevision,
  RecordExpenditure,
  Replacement,
} from './subsidy-account.commands';
import {
  checkOperatingDeadline,
  OperatingDeadlineFacts,
  OperatingDeadlineRecord,
} from './operating-deadline';
import { event, SubsidyAccountEvent } from './subsidy-account.events';
import {
  findEntry,
  heldExcess,
  paidAfterRevocationDay,
  sumEntries,
  supportYearLedger,
  toRecoverFen,
} from './subsidy-account.ledger';
import {
  evolve,
  LedgerEntry,
  OpenAccountState,
  SubsidyAccountState,
  SupportYearState,
} from './subsidy-account.state';

function requireAccount(state: SubsidyAccountState): OpenAccountState {
  if (state.status === 'none') throw new NotFoundError('subsidy account');
  return state;
}

export function requireNewEntryId(state: OpenAccountState, field: string, id: string): string {
  const entryId = checkText(field, id, MAX_ID);
  if (findEntry(state, entryId) || findRejected(state, entryId))
    throw new InvalidInputError(field, `entry ${entryId} already exists`);
  return entryId;
}

function requireAmount(amount: Money, field = 'amountFen'): void {
  if (amount.isZero()) throw new InvalidInputError(field, 'must be above 0 fen');
}

/**
 * A12.3: while finance holds a grade correction of the center (its grant would fall below what the year
 * disbursed), nothing more is paid: the 409 names the year, the corrected grant and how much of the year's
 * disbursements to correct for it to apply.
 */
function requireNothingHeld(account: OpenAccountState, held: HeldGrantRevision[]): void {
  if (held.length === 0) return;
  const figures = held.map((h) => ({ ...h, ...heldExcess(account, h) }));
  const error = new IllegalTransitionError(
    figures
      .map(
        (h) =>
          `support year ${h.supportYear}'s grant is held for the ${h.assessedYear} grade corrected to ${h.grade} on ${h.revisedOn}: ` +
          `it grants ${h.grantFen} fen, ${h.toCorrect.toFenText()} fen less than the ${h.disbursed.toFenText()} fen disbursed (A12.3); ` +
          `correct ${h.toCorrect.toFenText()} fen of support year ${h.supportYear}'s disbursements first`,
      )
      .join('; ') + ' (POST /accounts/:centerId/corrections)',
    'disburse',
  );
  Object.assign(error.details, {
    heldRevisions: figures.map((h) => ({
      supportYear: h.supportYear,
      assessedYear: h.assessedYear,
      grade: h.grade,
      grantFen: h.grantFen,
      disbursedFen: h.disbursed.toFenText(),
      toCorrectFen: h.toCorrect.toFenText(),
    })),
  });
  throw error;
}

/**
 * A17.3a, for a payment dated `paidOn`, before the stop and after it. After a stop the revocation of record
 * keeps its day (docs/rules.md): one on another ground (A16, A17.3b), or an A17.3a one dated on a start's
 * rejection after declarations closed, may come after the A17.3a revocation day, and a payment between is
 * still made only knowingly; after an A17.3a stop on that day itself the stop already refuses what the check
 * would.
 */
function deadlineCheck(
  account: OpenAccountState,
  paidOn: string,
  facts: OperatingDeadlineFacts | undefined,
  acknowledged: boolean | undefined,
  field: string,
): OperatingDeadlineRecord {
  const stop =
    account.status === 'stopped'
      ? { revokedOn: account.revokedOn!, rule: account.revocationRule! }
      : undefined;
  return checkOperatingDeadline(paidOn, facts, acknowledged, field, stop);
}

/**
 * Disbursements never exceed the grant: disbursed + amount ≤ granted − cancelled. One dated after the A17.3a
 * revocation day with no start in time only knowingly (deadlineCheck).
 */
export function decideDisburse(command: Disburse, state: SubsidyAccountState): SubsidyAccountEvent[] {
  const account = requireAccount(state);
  requireNothingHeld(account, command.heldRevisions ?? []);
  const supportYear = checkSupportYear('supportYear', command.supportYear, account.years.length);
  // Money leaves only against a payment voucher or treasury reference, which the officer reconciles with.
  checkText('reference', command.reference, MAX_ID);
  if (account.status === 'stopped') return disbursedBeforeRevocation(command, account, supportYear);
  const year = account.years[supportYear - 1]!;
  if (year.status !== 'granted')
    throw new IllegalTransitionError(`support year ${supportYear} ${year.status}`, 'disburse');
  requireAmount(command.amount);
  const { undisbursed } = supportYearLedger(account, supportYear);
  if (!command.amount.isAtMost(undisbursed))
    throw new RuleViolationError(
      'A12',
      `a disbursement of ${command.amount.toFenText()} fen exceeds the undisbursed grant of ${undisbursed.toFenText()} fen`,
      { field: 'amountFen' },
    );
  const disbursedOn = paidOn(command, account, supportYear);
  const deadline = deadlineCheck(
    account,
    disbursedOn,
    command.operatingDeadline,
    command.deadlinePassedAcknowledged,
    'deadlinePassedAcknowledged',
  );
  return [disbursementRecorded(command, account, supportYear, disbursedOn, deadline)];
}

/**
 * A16 / A17.3 stop further support only: a payment the treasury made on or before the revocation day,
 * recorded after the stop, is taken back from what the stop cancelled of its year, then recorded like any
 * disbursement. A payment dated after the revocation day is not support to record; nor is money of a grant
 * decided after it (A17.3a dates a revocation recorded later on the day after the deadline): the year's
 * grants decided by the revocation day, less what it has disbursed, and never more than was cancelled. After
 * an A16 or A17.3b stop, the A17.3a check too (deadlineCheck).
 */
function disbursedBeforeRevocation(
  command: Disburse,
  account: OpenAccountState,
  supportYear: number,
): SubsidyAccountEvent[] {
  const revokedOn = account.revokedOn!;
  const rule = account.revocationRule!;
  requireAmount(command.amount);
  const disbursedOn = paidOn(command, account, supportYear);
  if (paidAfterRevocationDay(disbursedOn, revokedOn))
    throw new RuleViolationError(
      rule,
      `support stopped: recognition revoked on ${revokedOn}; a disbursement paid on ${disbursedOn}, after it, is not recorded (only payments made on or before ${revokedOn})`,
      { field: 'disbursedOn', revokedOn },
    );
  const { cancelled, disbursed } = supportYearLedger(account, supportYear);
  const grantedByRevocation = grantedAsOf(account, supportYear, revokedOn);
  const payable = Money.ofFen(
    grantedByRevocation > disbursed.fen ? grantedByRevocation - disbursed.fen : 0n,
  ).min(cancelled);
  if (!command.amount.isAtMost(payable))
    throw new RuleViolationError(
      'A12',
      `a disbursement of ${command.amount.toFenText()} fen recorded after the stop exceeds the ${payable.toFenText()} fen payable of support year ${supportYear}: ` +
        `${grantedByRevocation} fen granted by the revocation day (${revokedOn}), ${disbursed.toFenText()} fen disbursed, ${cancelled.toFenText()} fen cancelled`,
      {
        field: 'amountFen',
        cancelledFen: cancelled.toFenText(),
        grantedByRevocationFen: grantedByRevocation.toString(),
        payableFen: payable.toFenText(),
      },
    );
  const deadline = deadlineCheck(
    account,
    disbursedOn,
    command.operatingDeadline,
    command.deadlinePassedAcknowledged,
    'deadlinePassedAcknowledged',
  );
  const disbursement = disbursementRecorded(command, account, supportYear, disbursedOn, deadline);
  const reductionEntryId = requireNewEntryId(account, 'reductionEntryId', command.reductionEntryId);
  if (reductionEntryId === command.entryId)
    throw new InvalidInputError('reductionEntryId', 'must differ from the disbursement entry id');
  return [
    event(T.CancellationReduced, {
      centerId: account.centerId,
      entryId: reductionEntryId,
      supportYear,
      amountFen: command.amount.toFenText(),
      disbursementEntryId: (disbursement.payload as { entryId: string }).entryId,
      disbursedOn,
      reducedOn: command.recordedOn,
      revokedOn,
      rule,
    }),
    disbursement,
  ];
}

/** The day the treasury paid: from the recognition to the day it is recorded, not before the grant. */
function paidOn(command: Disburse, account: OpenAccountState, supportYear: number): string {
  const disbursedOn = checkDate('disbursedOn', command.disbursedOn);
  if (disbursedOn < account.recognizedOn || disbursedOn > checkDate('recordedOn', command.recordedOn))
    throw new InvalidInputError(
      'disbursedOn',
      `must lie from the recognition (${account.recognizedOn}) to today (${command.recordedOn}), got ${disbursedOn}`,
    );
  requirePaidOfGrant('disbursedOn', disbursedOn, account, supportYear);
  return disbursedOn;
}

/** The day a support year's grant was first decided (year 1: approved), null while it has none. */
function grantDecidedOn(account: OpenAccountState, supportYear: number): string | null {
  return account.entries.reduce<string | null>(
    (first, e) =>
      e.kind === 'grant' &&
      e.direction === 1 &&
      e.supportYear === supportYear &&
      e.grantedOn !== undefined &&
      (first === null || e.grantedOn < first)
        ? e.grantedOn
        : first,
    null,
  );
}

/**
 * A12: a disbursement pays a support year's grant, so the treasury cannot have paid it before the grant
 * was decided. Every disbursement, a correction's replacement too, before the stop and after it.
 */
function requirePaidOfGrant(
  field: string,
  disbursedOn: string,
  account: OpenAccountState,
  supportYear: number,
): void {
  const grantedOn = grantDecidedOn(account, supportYear);
  if (grantedOn !== null && disbursedOn < grantedOn)
    throw new RuleViolationError(
      'A12',
      `${field} ${disbursedOn} is before support year ${supportYear}'s grant was decided on ${grantedOn}: a disbursement pays a grant, not before it exists`,
      { field, grantedOn },
    );
}

/** The support year's grants as they stood at the end of `day`: each decision and revision by its day. */
function grantedAsOf(account: OpenAccountState, supportYear: number, day: string): bigint {
  return account.entries
    .filter(
      (e) =>
        e.kind === 'grant' &&
        e.supportYear === supportYear &&
        (e.direction === 1
          ? e.grantedOn !== undefined && e.grantedOn <= day
          : e.reversal !== undefined && e.reversal.reversedOn <= day),
    )
    .reduce((total, e) => total + BigInt(e.direction) * e.amount.fen, 0n);
}

/**
 * A12: one treasury payment is in the ledger once. The same payment again under a new entry id (a retry
 * without Idempotency-Key, a second click, the voucher keyed again another day, a correction's replacement
 * repeating another payment): one voucher, one amount, one support year, among the disbursements still
 * standing — the one a correction reverses aside.
 */
function requireNotDisbursedYet(
  account: OpenAccountState,
  payment: { reference: string; supportYear: number; amount: Money },
  { field = 'reference', replacing }: { field?: string; replacing?: string } = {},
): void {
  const same = account.entries.find(
    (e) =>
      e.kind === 'disbursement' &&
      e.direction === 1 &&
      e.reversedByEntryId === null &&
      e.entryId !== replacing &&
      e.reference === payment.reference &&
      e.supportYear === payment.supportYear &&
      e.amount.equals(payment.amount),
  );
  if (same)
    throw new RuleViolationError(
      'A12',
      `this disbursement (${payment.reference}, ${payment.amount.toFenText()} fen) is already recorded as ${same.entryId} on ${same.disbursedOn}`,
      { field, entryId: same.entryId },
    );
}

function disbursementRecorded(
  command: Disburse,
  account: OpenAccountState,
  supportYear: number,
  disbursedOn: string,
  deadline: OperatingDeadlineRecord = {},
): SubsidyAccountEvent {
  const reference = checkText('reference', command.reference, MAX_ID);
  requireNotDisbursedYet(account, { reference, supportYear, amount: command.amount });
  return event(T.DisbursementRecorded, {
    centerId: account.centerId,
    entryId: requireNewEntryId(account, 'entryId', command.entryId),
    supportYear,
    amountFen: command.amount.toFenText(),
    disbursedOn,
    reference,
    correctsEntryId: null,
    reason: null,
    ...deadline,
  });
}

interface SpendingFacts {
  category: string;
  amount: Money;
  evidenceHash: string;
  spentOn: string;
  description: string;
}

/** `prefix` names the fields as the request gave them ('replacement.' in a correction). */
function spendingFacts(
  c: { category: string; amount: Money; evidenceHash: string; spentOn: string; description?: string },
  prefix = '',
): SpendingFacts {
  requireAmount(c.amount, `${prefix}amountFen`);
  return {
    category: checkText(`${prefix}category`, c.category, MAX_ID),
    amount: c.amount,
    evidenceHash: checkEvidenceHash(`${prefix}evidenceHash`, c.evidenceHash),
    spentOn: checkDate(`${prefix}spentOn`, c.spentOn),
    description: checkOptionalText(`${prefix}description`, c.description),
  };
}

/**
 * A13 with A12.1 for a correction's replacement, which is refused whole rather than recorded (a new
 * expenditure outside its window is recorded rejected, spendingDecision): the rules' window check, its
 * message naming the window, the field the request gave.
 */
function requireSpentInSupportYear(
  field: string,
  spentOn: string,
  year: SupportYearState,
  decidedOn: string,
): void {
  const window = { spentOn, supportYear: year.supportYear, calendarYear: year.calendarYear, decidedOn };
  const reason = withinSupportYear(window);
  if (!reason.passed)
    throw new RuleViolationError('A13', `${field}: ${reason.message.en}`, {
      field,
      ...window,
      window: reason.threshold,
    });
}

/**
 * A13 on the year's balance and its window: allowed category, never forbidden, never above disbursed −
 * spent, spent in the support year's calendar year and not after the decision day (`decidedOn`).
 */
function spendingDecision(
  facts: SpendingFacts,
  year: SupportYearState,
  decidedOn: string,
  disbursed: Money,
  spent: Money,
  policy: Policy,
): ExpenditureDecisionV1 {
  return decideExpenditure(
    {
      category: facts.category,
      amountFen: facts.amount.fen,
      disbursedFen: disbursed.fen,
      spentFen: spent.fen,
      spentOn: facts.spentOn,
      supportYear: year.supportYear,
      calendarYear: year.calendarYear,
      decidedOn,
    },
    policy,
  );
}

const findRejected = (account: OpenAccountState, id: string) =>
  account.rejectedExpenditures.find((r) => r.expenditureId === id);

/**
 * The same spending sent again and refused for the same reasons is that rejection again (a retry under a
 * new id): 409 naming it, not a second rejection on the account. Refused for other reasons (the balance
 * changed meanwhile), it is a new decision.
 */
function requireNotRejectedYet(
  account: OpenAccountState,
  supportYear: number,
  facts: SpendingFacts,
  decision: ExpenditureDecisionV1,
): void {
  const same = account.rejectedExpenditures.find(
    (r) =>
      r.supportYear === supportYear &&
      r.evidenceHash === facts.evidenceHash &&
      r.category === decision.inputs.category &&
      r.spentOn === facts.spentOn &&
      r.amount.equals(facts.amount) &&
      r.rejectedFor.join('\n') === decision.outcome.rejectedFor.join('\n'),
  );
  if (same)
    throw new IllegalTransitionError(
      `this spending (evidence ${facts.evidenceHash}, ${same.category}, ${facts.amount.toFenText()} fen on ${facts.spentOn}) was rejected already as expenditure ${same.expenditureId}, for the same reasons`,
      'record expenditure',
    );
}

/**
 * A13: a spending is accounted once. The same evidence, category, amount and day as an expenditure still
 * standing is the same spending sent twice (a double click, a retry without Idempotency-Key under a new
 * id); one invoice split over categories or amounts stays possible, and a correction reverses first.
 */
function requireNotAccountedYet(
  account: OpenAccountState,
  facts: SpendingFacts,
  category: string,
  { field = 'evidenceHash', replacing }: { field?: string; replacing?: string } = {},
): void {
  const same = account.entries.find(
    (e) =>
      e.kind === 'expenditure' &&
      e.direction === 1 &&
      e.reversedByEntryId === null &&
      e.entryId !== replacing &&
      e.spending?.evidenceHash === facts.evidenceHash &&
      e.spending.category === category &&
      e.spending.spentOn === facts.spentOn &&
      e.amount.equals(facts.amount),
  );
  if (same)
    throw new RuleViolationError(
      'A13',
      `this spending (evidence ${facts.evidenceHash}, ${category}, ${facts.amount.toFenText()} fen on ${facts.spentOn}) is already accounted as expenditure ${same.entryId}`,
      { field, entryId: same.entryId },
    );
}

/**
 * What spending may draw on, as the A13 decision records it: the year's disbursements less the money to
 * recover (spent, it could no longer be reversed when paid back) — never below what is already spent
 * (spending accepted before finance read the revocation stands; the decision then finds nothing left).
 */
function spendable(account: OpenAccountState, supportYear: number, disbursed: Money, spent: Money): Money {
  const available = disbursed.fen - toRecoverFen(account, supportYear);
  return Money.ofFen(available < spent.fen ? spent.fen : available);
}

/**
 * In the account after `events`: the balance (disbursed less spent) and the margin (less the money to
 * recover too); negative: overspent.
 */
function spendingMargin(account: OpenAccountState, supportYear: number, events: SubsidyAccountEvent[] = []) {
  const after = events.reduce(evolve, account as SubsidyAccountState) as OpenAccountState;
  // Sums, not supportYearLedger: a negative balance is the answer here, not a broken invariant.
  const disbursed = sumEntries(after.entries, 'disbursement', supportYear);
  const spent = sumEntries(after.entries, 'expenditure', supportYear);
  return { balance: disbursed - spent, margin: disbursed - toRecoverFen(after, supportYear) - spent };
}

/**
 * A13: the decision is recorded either way — spending outside the support year's calendar year, or after
 * the decision day, too (A13:withinSupportYear). Spending of funds already disbursed is still accounted
 * after a revocation (the money was paid); only new grants and disbursements stop, and money paid after
 * the revocation day is not spendable (spendable).
 */
export function decideRecordExpenditure(
  command: RecordExpenditure,
  state: SubsidyAccountState,
): SubsidyAccountEvent[] {
  const account = requireAccount(state);
  const expenditureId = checkText('expenditureId', command.expenditureId, MAX_ID);
  if (findEntry(account, expenditureId) || findRejected(account, expenditureId)) return []; // a retry
  const supportYear = checkSupportYear('supportYear', command.supportYear, account.years.length);
  const facts = spendingFacts(command);
  const decidedOn = checkDate('decidedOn', command.decidedOn);
  if (command.policy.effectiveFrom > decidedOn)
    throw new InvalidInputError(
      'policy',
      `version ${command.policy.version} is not in force on ${decidedOn}`,
    );
  const { disbursed, spent } = supportYearLedger(account, supportYear);
  const decision = spendingDecision(
    facts,
    account.years[supportYear - 1]!,
    decidedOn,
    spendable(account, supportYear, disbursed, spent),
    spent,
    command.policy,
  );
  const common = {
    centerId: account.centerId,
    supportYear,
    amountFen: facts.amount.toFenText(),
    evidenceHash: facts.evidenceHash,
    spentOn: facts.spentOn,
    description: facts.description,
    decision,
  };
  // Before the outcome: the same spending sent again is refused as such, not rejected for the balance it used.
  requireNotAccountedYet(account, facts, decision.inputs.category);
  if (!decision.outcome.accepted) {
    requireNotRejectedYet(account, supportYear, facts, decision);
    return [event(T.ExpenditureRejected, { ...common, expenditureId, category: facts.category })];
  }
  return [
    event(T.ExpenditureAccepted, {
      ...common,
      entryId: expenditureId,
      category: decision.inputs.category,
      correctsEntryId: null,
      reason: null,
    }),
  ];
}

function correctable(
  account: OpenAccountState,
  id: string,
): LedgerEntry & { kind: 'disbursement' | 'expenditure' } {
  const target = findEntry(account, id);
  if (!target) throw new InvalidInputError('reversesEntryId', `no ledger entry ${id}`);
  if (target.kind !== 'disbursement' && target.kind !== 'expenditure')
    throw new InvalidInputError('reversesEntryId', `a ${target.kind} is a decision, not a correctable entry`);
  if (target.reversesEntryId) throw new InvalidInputError('reversesEntryId', `${id} is itself a reversal`);
  if (target.reversedByEntryId)
    throw new IllegalTransitionError(
      `entry ${id} reversed by ${target.reversedByEntryId}`,
      'reverse it again',
    );
  return target as LedgerEntry & { kind: 'disbursement' | 'expenditure' };
}

/** The replacement entry, decided against the year's totals without the reversed entry. */
function replacementEvent(
  account: OpenAccountState,
  target: LedgerEntry,
  replacement: Replacement,
  command: CorrectEntry,
  reason: string,
): SubsidyAccountEvent {
  if (replacement.kind !== target.kind)
    throw new InvalidInputError('replacement.kind', `must be ${target.kind}, like the entry it replaces`);
  const entryId = requireNewEntryId(account, 'replacement.entryId', replacement.entryId);
  if (entryId === command.reversalEntryId)
    throw new InvalidInputError('replacement.entryId', 'must differ from the reversal entry id');
  const before = supportYearLedger(account, target.supportYear);
  const correction = {
    centerId: account.centerId,
    supportYear: target.supportYear,
    correctsEntryId: target.entryId,
    reason,
  };
  if (replacement.kind === 'disbursement') {
    requireAmount(replacement.amount, 'replacement.amountFen');
    const room = before.undisbursed.plus(target.amount);
    const cap = account.status === 'stopped' ? target.amount.min(room) : room; // revoked: no new money
    if (!replacement.amount.isAtMost(cap))
      throw new RuleViolationError(
        'A12',
        `the corrected disbursement exceeds the ${cap.toFenText()} fen it may be`,
        {
          field: 'replacement.amountFen',
        },
      );
    const disbursedOn = checkDate('replacement.disbursedOn', replacement.disbursedOn);
    if (disbursedOn < account.recognizedOn || disbursedOn > command.correctedOn)
      throw new InvalidInputError(
        'replacement.disbursedOn',
        `must lie from the recognition (${account.recognizedOn}) to the correction (${command.correctedOn}), got ${disbursedOn}`,
      );
    requirePaidOfGrant('replacement.disbursedOn', disbursedOn, account, target.supportYear);
    if (account.status === 'stopped') requireSameSideOfRevocation(account, target, disbursedOn);
    const reference = replacementReference(replacement, target);
    // Like a direct disbursement: not a payment the ledger already holds (the one replaced aside).
    requireNotDisbursedYet(
      account,
      { reference, supportYear: target.supportYear, amount: replacement.amount },
      { field: 'replacement.reference', replacing: target.entryId },
    );
    // Like a direct disbursement.
    const deadline = deadlineCheck(
      account,
      disbursedOn,
      command.operatingDeadline,
      replacement.deadlinePassedAcknowledged,
      'replacement.deadlinePassedAcknowledged',
    );
    return event(T.DisbursementRecorded, {
      ...correction,
      entryId,
      amountFen: replacement.amount.toFenText(),
      disbursedOn,
      reference,
      ...deadline,
    });
  }
  const facts = spendingFacts(replacement, 'replacement.');
  const year = account.years[target.supportYear - 1]!;
  requireSpentInSupportYear('replacement.spentOn', facts.spentOn, year, command.correctedOn);
  const spentElse = before.spent.minus(target.amount);
  const decision = spendingDecision(
    facts,
    year,
    command.correctedOn,
    spendable(account, target.supportYear, before.disbursed, spentElse),
    spentElse,
    command.policy,
  );
  if (!decision.outcome.accepted)
    throw new RuleViolationError(
      'A13',
      `the corrected expenditure is refused: ${decision.outcome.rejectedFor.join(', ')}`,
      {
        field: 'replacement',
        reasons: decision.reasons,
      },
    );
  // The same spending as another entry still standing is not accounted twice (the one replaced aside).
  requireNotAccountedYet(account, facts, decision.inputs.category, {
    field: 'replacement.evidenceHash',
    replacing: target.entryId,
  });
  return event(T.ExpenditureAccepted, {
    ...correction,
    entryId,
    category: decision.inputs.category,
    amountFen: facts.amount.toFenText(),
    evidenceHash: facts.evidenceHash,
    spentOn: facts.spentOn,
    description: facts.description,
    decision,
  });
}

/**
 * A16 / A17.3 after the stop: a correction does not move a payment across the revocation day. One dated
 * after it is support paid after the revocation, to recover (paidAfterRevocation) until reversed — paid
 * back; one paid on or before it is recorded again as such, never dated after it (as a new one would not
 * be). A payment keyed on the wrong side is reversed, and the real one recorded as a disbursement, under
 * the cap a payment recorded after the stop has.
 */
function requireSameSideOfRevocation(
  account: OpenAccountState,
  target: LedgerEntry,
  disbursedOn: string,
): void {
  const revokedOn = account.revokedOn!;
  const wasAfter = target.disbursedOn !== undefined && paidAfterRevocationDay(target.disbursedOn, revokedOn);
  if (wasAfter === paidAfterRevocationDay(disbursedOn, revokedOn)) return;
  throw new RuleViolationError(
    account.revocationRule!,
    wasAfter
      ? `support stopped: recognition revoked on ${revokedOn}; ${target.entryId}, paid on ${target.disbursedOn}, after it, is to be recovered, and its replacement may not be dated on or before ${revokedOn} (got ${disbursedOn}): reverse it, then record the payment made on or before the revocation as a disbursement`
      : `support stopped: recognition revoked on ${revokedOn}; ${target.entryId}${target.disbursedOn ? `, paid on ${target.disbursedOn}` : ''}, is replaced by a payment on or before it, not on ${disbursedOn} (no support is paid after the revocation)`,
    { field: 'replacement.disbursedOn', revokedOn, replacedDisbursedOn: target.disbursedOn ?? null },
  );
}

/** No edits: reverse the entry with a reason, then (optionally) record its replacement; balance stays ≥ 0. */
export function decideCorrectEntry(command: CorrectEntry, state: SubsidyAccountState): SubsidyAccountEvent[] {
  const account = requireAccount(state);
  const reason = checkText('reason', command.reason);
  const correctedOn = checkDate('correctedOn', command.correctedOn);
  const target = correctable(account, checkText('reversesEntryId', command.reversesEntryId, MAX_ID));
  const reversal = event(T.EntryReversed, {
    centerId: account.centerId,
    entryId: requireNewEntryId(account, 'reversalEntryId', command.reversalEntryId),
    reversesEntryId: target.entryId,
    kind: target.kind,
    supportYear: target.supportYear,
    amountFen: target.amount.toFenText(),
    reversedOn: correctedOn,
    reason,
  });
  const replacement = command.replacement
    ? replacementEvent(account, target, command.replacement, command, reason)
    : null;
  // Spending stays within what it may draw on (after a revocation, less the money to recover); where
  // spending accepted before finance read the revocation already exceeds that, a correction may not add to it.
  const before = spendingMargin(account, target.supportYear);
  const after = spendingMargin(account, target.supportYear, [
    reversal,
    ...(replacement ? [replacement] : []),
  ]);
  // And whatever the margin, never more spent than disbursed: money paid after the revocation and already
  // spent is paid back only once the spending on it is reversed.
  if ((after.margin < 0n && after.margin < before.margin) || after.balance < 0n)
    throw new RuleViolationError(
      'A13',
      `the correction would leave support year ${target.supportYear} spending more than was disbursed` +
        (after.balance < 0n && target.kind === 'disbursement' ? '; reverse the spending on it first' : ''),
      { field: command.replacement ? 'replacement.amountFen' : 'reversesEntryId' },
    );
  return [
    reversal,
    ...(replacement ? [replacement] : []),
    ...cancelledAfterStop(account, target, replacement),
  ];
}

/**
 * A16 / A17.3 after the stop: support ended, so money a reversed disbursement frees (paid back, or
 * replaced by less) is cancelled like the undisbursed rest was at the stop — it is owed to nobody.
 */
function cancelledAfterStop(
  account: OpenAccountState,
  target: LedgerEntry,
  replacement: SubsidyAccountEvent | null,
): SubsidyAccountEvent[] {
  if (account.status !== 'stopped' || target.kind !== 'disbursement') return [];
  const replaced = replacement ? BigInt((replacement.payload as { amountFen: string }).amountFen) : 0n;
  const freed = target.amount.fen - replaced;
  if (freed <= 0n) return [];
  return [
    event(T.GrantCancelled, {
      centerId: account.centerId,
      supportYear: target.supportYear,
      was: 'undisbursed-grant',
      cancelledFen: freed.toString(),
      revokedOn: account.revokedOn!,
      rule: account.revocationRule!,
    }),
  ];
}

/**
 * A corrected disbursement's voucher: the one given, else (left out, or null) the one of the payment it
 * replaces (an amount keyed wrongly keeps its voucher). One given blank is a 400 naming it, as on a direct
 * disbursement: not taken for the old one unsaid. Money is never recorded without one: a replaced payment
 * recorded before they were required has none to keep, and then the replacement must give it (400 naming it).
 */
function replacementReference(
  replacement: Extract<Replacement, { kind: 'disbursement' }>,
  target: LedgerEntry,
): string {
  if (replacement.reference == null && target.reference) return target.reference;
  return checkText('replacement.reference', replacement.reference, MAX_ID);
}
