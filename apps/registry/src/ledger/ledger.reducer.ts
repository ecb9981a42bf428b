import {
  AnnualGrantRevisedV1,
  CancellationReducedV1,
  DisbursementRecordedV1,
  EntryReversedV1,
  EventEnvelope,
  ExpenditureAcceptedV1,
  ExpenditureRejectedV1,
  FinanceEventTypes,
  GrantCancelledV1,
  GrantDecidedV1,
  SubsidyAccountOpenedV1,
  SupportStoppedV1,
  Year1ApprovalRevisedV1,
} from '@nqpf/contracts';
import { emptyYear, LedgerEntry, LedgerState, LedgerYear } from './ledger.state';

type Reducer = (state: LedgerState, payload: never) => LedgerState;
const F = FinanceEventTypes;

function updateYear(
  state: LedgerState,
  supportYear: number,
  change: (y: LedgerYear) => LedgerYear,
): LedgerState {
  const year = state.years[String(supportYear)] ?? emptyYear(supportYear);
  return { ...state, years: { ...state.years, [String(supportYear)]: change(year) } };
}

function addEntry(state: LedgerState, entry: LedgerEntry): LedgerState {
  if (state.entries.some((e) => e.entryId === entry.entryId)) return state;
  return { ...state, entries: [...state.entries, entry] };
}

const entry = (
  e: Partial<LedgerEntry> & Pick<LedgerEntry, 'entryId' | 'supportYear' | 'kind' | 'amount' | 'on'>,
) => ({ category: null, policyVersion: null, reversesEntryId: null, reason: null, ...e }) as LedgerEntry;

/** A grant decided again (a correction): the grant standing is taken back by a reversal entry of its own. */
function grantTakenBack(
  state: LedgerState,
  p: {
    supportYear: number;
    previousGrantFen: string;
    previousGrantEntryId: string;
    reversalEntryId: string;
    revisedOn: string;
  },
  entryFields: Pick<LedgerEntry, 'reason'> & Partial<Pick<LedgerEntry, 'policyVersion'>>,
): LedgerState {
  return addEntry(
    updateYear(state, p.supportYear, (y) => ({ ...y, granted: y.granted - BigInt(p.previousGrantFen) })),
    entry({
      entryId: p.reversalEntryId,
      supportYear: p.supportYear,
      kind: 'reversal',
      amount: BigInt(p.previousGrantFen),
      on: p.revisedOn,
      reversesEntryId: p.previousGrantEntryId,
      reversedKind: 'grant',
      ...entryFields,
    }),
  );
}

/** Only on replacements: a ledger of thousands of entries need not carry a null on each. */
const corrects = (entryId: string | null) => (entryId ? { correctsEntryId: entryId } : {});
/** Likewise only on disbursements with a voucher. */
const voucher = (reference: string | null | undefined) => (reference ? { reference } : {});

/**
 * The stop cancels each year's undisbursed rest on the revocation day; a later cancellation frees what a
 * reversal after the stop gave back (paid back, replaced by less): finance appends it right after that
 * reversal, so it takes the reversal's day — also when the stop itself cancelled nothing of the year.
 */
function cancellationDay(state: LedgerState, p: GrantCancelledV1, earlier: number): string {
  const after = state.stopped?.entriesBefore;
  const reversals = (after === undefined ? state.entries : state.entries.slice(after)).filter(
    (e) => e.kind === 'reversal' && e.supportYear === p.supportYear,
  );
  const freedBy = after === undefined && earlier === 0 ? undefined : reversals.at(-1);
  return freedBy ? freedBy.on : p.revokedOn;
}

const reducers: Record<string, Reducer> = {
  [F.SubsidyAccountOpened]: (state, p: SubsidyAccountOpenedV1) =>
    p.supportYears.reduce<LedgerState>(
      (s, y) => updateYear(s, y.supportYear, (year) => ({ ...year, calendarYear: y.calendarYear })),
      { ...state, district: p.district },
    ),
  [F.GrantDecided]: (state, p: GrantDecidedV1) =>
    addEntry(
      updateYear(state, p.supportYear, (y) => ({
        ...y,
        calendarYear: y.calendarYear ?? p.calendarYear,
        granted: y.granted + BigInt(p.amountFen),
        grantPolicyVersion: p.policyVersion,
      })),
      entry({
        entryId: p.entryId,
        supportYear: p.supportYear,
        kind: 'grant',
        amount: BigInt(p.amountFen),
        on: p.decidedOn,
        policyVersion: p.policyVersion,
      }),
    ),
  // The bureau corrected its year-1 approval: the old grant is taken back; the new one follows as a grant.
  [F.Year1ApprovalRevised]: (state, p: Year1ApprovalRevisedV1) =>
    grantTakenBack(state, { ...p, supportYear: 1 }, { reason: p.reason }),
  // A grade corrected at assessment: the grant it decided is taken back; the new one follows as a grant.
  [F.AnnualGrantRevised]: (state, p: AnnualGrantRevisedV1) =>
    grantTakenBack(state, p, {
      policyVersion: p.policyVersion,
      reason: `${p.assessedYear}: ${p.previousGrade} → ${p.grade}: ${p.reason}`,
    }),
  [F.DisbursementRecorded]: (state, p: DisbursementRecordedV1) =>
    addEntry(
      updateYear(state, p.supportYear, (y) => ({ ...y, disbursed: y.disbursed + BigInt(p.amountFen) })),
      entry({
        entryId: p.entryId,
        supportYear: p.supportYear,
        kind: 'disbursement',
        amount: BigInt(p.amountFen),
        on: p.disbursedOn,
        reason: p.reason,
        ...corrects(p.correctsEntryId),
        ...voucher(p.reference),
      }),
    ),
  [F.ExpenditureAccepted]: (state, p: ExpenditureAcceptedV1) => {
    const amount = BigInt(p.amountFen);
    return addEntry(
      updateYear(state, p.supportYear, (y) => ({
        ...y,
        spent: y.spent + amount,
        spentByCategory: {
          ...y.spentByCategory,
          [p.category]: (y.spentByCategory[p.category] ?? 0n) + amount,
        },
      })),
      entry({
        entryId: p.entryId,
        supportYear: p.supportYear,
        kind: 'expenditure',
        amount,
        on: p.spentOn,
        category: p.category,
        policyVersion: p.decision?.policyVersion ?? null,
        reason: p.reason,
        ...corrects(p.correctsEntryId),
      }),
    );
  },
  [F.ExpenditureRejected]: (state, p: ExpenditureRejectedV1) =>
    addEntry(
      updateYear(state, p.supportYear, (y) => ({ ...y, rejected: y.rejected + BigInt(p.amountFen) })),
      entry({
        entryId: p.expenditureId,
        supportYear: p.supportYear,
        kind: 'rejected-expenditure',
        amount: BigInt(p.amountFen),
        on: p.spentOn,
        // The category's code as the decision read it (an accepted entry carries the code), else as sent.
        category: p.decision?.inputs?.category ?? p.category,
        policyVersion: p.decision?.policyVersion ?? null,
        reason: p.decision?.outcome?.rejectedFor?.join('; ') ?? null,
      }),
    ),
  [F.EntryReversed]: (state, p: EntryReversedV1) => {
    const amount = BigInt(p.amountFen);
    const category = state.entries.find((e) => e.entryId === p.reversesEntryId)?.category ?? null;
    const reversed = updateYear(state, p.supportYear, (y) =>
      p.kind === 'disbursement'
        ? { ...y, disbursed: y.disbursed - amount }
        : {
            ...y,
            spent: y.spent - amount,
            spentByCategory:
              category === null
                ? y.spentByCategory
                : { ...y.spentByCategory, [category]: (y.spentByCategory[category] ?? 0n) - amount },
          },
    );
    return addEntry(
      reversed,
      entry({
        entryId: p.entryId,
        supportYear: p.supportYear,
        kind: 'reversal',
        amount,
        on: p.reversedOn,
        category,
        reversesEntryId: p.reversesEntryId,
        reversedKind: p.kind,
        reason: p.reason,
      }),
    );
  },
  [F.SupportStopped]: (state, p: SupportStoppedV1) => ({
    ...state,
    stopped: { revokedOn: p.revokedOn, rule: p.rule, entriesBefore: state.entries.length },
  }),
  // Nothing to cancel (a year still awaiting its grant) is no ledger line, as in finance's account; the
  // lines are numbered as finance numbers them (cancel-<year>, then cancel-<year>-2, …) so they pair up.
  [F.GrantCancelled]: (state, p: GrantCancelledV1) => {
    const year = updateYear(state, p.supportYear, (y) => ({
      ...y,
      cancelled: y.cancelled + BigInt(p.cancelledFen),
    }));
    if (p.cancelledFen === '0') return year;
    const before = state.entries.filter(
      (e) => e.kind === 'cancellation' && e.supportYear === p.supportYear,
    ).length;
    return addEntry(
      year,
      entry({
        entryId: before === 0 ? `cancel-${p.supportYear}` : `cancel-${p.supportYear}-${before + 1}`,
        supportYear: p.supportYear,
        kind: 'cancellation',
        amount: BigInt(p.cancelledFen),
        on: cancellationDay(state, p, before),
        reason: `${p.rule}: ${p.was}`,
      }),
    );
  },
  // A payment made on or before the revocation day, recorded after the stop: the year's cancellation falls
  // by it (an entry of its own, dated the day recorded); the disbursement itself follows in finance's append.
  [F.CancellationReduced]: (state, p: CancellationReducedV1) =>
    addEntry(
      updateYear(state, p.supportYear, (y) => ({ ...y, cancelled: y.cancelled - BigInt(p.amountFen) })),
      entry({
        entryId: p.entryId,
        supportYear: p.supportYear,
        kind: 'cancellation-reduction',
        amount: BigInt(p.amountFen),
        on: p.reducedOn,
        reason: `${p.rule}: disbursement ${p.disbursementEntryId} paid on ${p.disbursedOn}, on or before the revocation (${p.revokedOn})`,
      }),
    ),
};

export function affectsLedger(type: string): boolean {
  return type in reducers;
}

/** Pure: a center's ledger after one finance event; other events leave it as it is. */
export function reduceLedger(state: LedgerState, event: EventEnvelope): LedgerState {
  const reducer = reducers[event.type];
  if (!reducer) return state;
  const { entryId, expenditureId, reversalEntryId } = event.payload as {
    entryId?: string;
    expenditureId?: string;
    reversalEntryId?: string;
  };
  const id = entryId ?? expenditureId ?? reversalEntryId;
  // An entry already in the ledger (the same fact sent again under a new event id) changes nothing.
  if (id !== undefined && state.entries.some((e) => e.entryId === id)) return state;
  return reducer(state, event.payload as never);
}
