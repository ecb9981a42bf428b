import fc from 'fast-check';
import { FinanceEventTypes as T } from '@nqpf/contracts';
import { DomainError, foldEvents, IllegalTransitionError } from '@nqpf/domain';
import { defaultPolicy, Grade, GRADES } from '@nqpf/rules';
import { SubsidyAccountCommand } from './subsidy-account.commands';
import { subsidyAccountDecider } from './subsidy-account.decider';
import { SubsidyAccountEvent } from './subsidy-account.events';
import { supportYearLedger } from './subsidy-account.ledger';
import { OpenAccountState } from './subsidy-account.state';
import { assessed, errorOf, fen, HASH, open } from './testing/given';

/** Amounts are a share (in %) of what the account allows, so the boundaries are hit often. */
type Op =
  | { op: 'declare'; amount: bigint }
  | { op: 'approve'; percent: number }
  | { op: 'revise'; percent: number }
  | { op: 'assess'; year: number; grade: Grade }
  | { op: 'regrade'; year: number; grade: Grade }
  | { op: 'revoke'; on: string }
  | { op: 'disburse'; year: number; percent: number; on: string }
  | { op: 'spend'; year: number; category: string; percent: number }
  | { op: 'correct'; pick: number; replace: boolean; percent: number; on: string };

const year = fc.integer({ min: 1, max: 3 });
/**
 * Revocation days: after year 2's grant (1 March 2027), before it (A17.3a dates a revocation recorded weeks
 * later on the day after the deadline), between year 1's approval (1 May 2026) and its revision (20 May),
 * and on the day of a grant itself (year 1's approval, year 2's grant): decided by then, payable after it.
 */
const revokedOn = fc.constantFrom('2027-06-01', '2027-02-20', '2026-05-10', '2026-05-01', '2027-03-01');
/** Days paid: around the grants (year 1 on 1 May 2026, year 2 on 1 March 2027, year 3 on 1 March 2028) and the revocations. */
const paidOn = fc.constantFrom(
  '2026-04-20',
  '2026-05-05',
  '2026-06-01',
  '2027-02-15',
  '2027-03-05',
  '2027-07-01',
  '2028-03-05',
);
const percent = fc.oneof(fc.integer({ min: 0, max: 110 }), fc.constantFrom(0, 100, 101));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('declare' as const),
      amount: fc.bigInt({ min: 0n, max: 900_000_001n }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('approve' as const), percent }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('revise' as const), percent }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('assess' as const), year, grade: fc.constantFrom(...GRADES) }),
  },
  {
    // A grade corrected at assessment: the next year's grant decided again (never below what it paid).
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('regrade' as const), year, grade: fc.constantFrom(...GRADES) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('revoke' as const), on: revokedOn }) },
  {
    weight: 6,
    // Dated after the revocation day: recorded before finance read the revocation, or refused after it.
    arbitrary: fc.record({ op: fc.constant('disburse' as const), year, percent, on: paidOn }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('spend' as const),
      year,
      category: fc.constantFrom('rent', 'rent', 'energy', '场馆日常维护', '赞助', '罚款', 'banquet'),
      percent,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('correct' as const),
      pick: fc.nat(),
      replace: fc.boolean(),
      percent,
      on: paidOn,
    }),
  },
);

/** `percent` % of an amount, rounded down; 101 % is one fen above it (the boundary). */
const share = (of: bigint, percent: number): bigint =>
  percent === 101 ? of + 1n : (of * BigInt(percent)) / 100n;

/** Turns an abstract step into a command for the current state (ids fresh, references to what exists). */
function toCommand(o: Op, state: OpenAccountState, n: number): SubsidyAccountCommand | null {
  const policy = defaultPolicy;
  switch (o.op) {
    case 'declare':
      return {
        kind: 'declare-year1-costs',
        declarationId: `d${n}`,
        declaredOn: '2026-04-01',
        items: [{ category: 'construction', amount: fen(o.amount), evidenceHash: HASH }],
        // Replacing a pending declaration names it and says why (A12.2).
        replacesDeclarationId: state.years[0]!.declaration?.declarationId ?? null,
        reason: state.years[0]!.status === 'declared' ? 'amount mended' : null,
      };
    case 'approve': {
      const d = state.years[0]!.declaration;
      if (!d) return null;
      return {
        kind: 'approve-year1-costs',
        declarationId: d.declarationId,
        approved: fen((d.total.fen * BigInt(o.percent)) / 100n),
        reason: 'checked against invoices',
        approvedOn: '2026-05-01',
        entryId: `e${n}`,
        policy,
      };
    }
    case 'revise': {
      const d = state.years[0]!.declaration;
      if (!d) return null;
      return {
        kind: 'revise-year1-approval',
        declarationId: d.declarationId,
        approved: fen(share(d.total.fen, o.percent)),
        reason: 'approval keyed wrongly',
        revisedOn: '2026-05-20',
        reversalEntryId: `e${n}`,
        entryId: `e${n}b`,
        policy,
      };
    }
    case 'assess':
      return { ...assessed(o.year, o.grade), entryId: `e${n}` };
    case 'regrade': {
      // The grade the year's grant stands on (else one the correction names as the grade before it).
      const basis = state.years[o.year]?.basis;
      const previousGrade = basis?.kind === 'assessment' ? basis.grade : o.grade === '合格' ? '良好' : '合格';
      return {
        kind: 'revise-grant-on-assessment',
        assessedYear: 2025 + o.year,
        assessedSupportYear: o.year,
        previousGrade,
        grade: o.grade,
        reason: 'grade keyed wrongly',
        revisedOn: `${2026 + o.year}-03-20`,
        reversalEntryId: `e${n}`,
        entryId: `e${n}b`,
        policy,
      };
    }
    case 'revoke':
      return {
        kind: 'stop-support',
        revokedOn: o.on,
        rule: 'A17.3',
        reason: 'two years unqualified',
      };
    case 'disburse': {
      // After the stop: a payment made before the revocation, from what the stop cancelled.
      const { undisbursed, cancelled } = supportYearLedger(state, o.year);
      const room = state.status === 'stopped' ? cancelled.fen : undisbursed.fen;
      const amount = fen(share(room, o.percent));
      return {
        kind: 'disburse',
        entryId: `e${n}`,
        supportYear: o.year,
        amount,
        disbursedOn: o.on,
        recordedOn: '2028-07-02',
        reference: `voucher e${n}`,
        reductionEntryId: `e${n}r`,
      };
    }
    case 'spend':
      return {
        kind: 'record-expenditure',
        expenditureId: `e${n}`,
        supportYear: o.year,
        category: o.category,
        amount: fen(share(supportYearLedger(state, o.year).balance.fen, o.percent)),
        evidenceHash: HASH,
        // Support year n is calendar year 2025 + n (recognised 2026-03-10, A12.1).
        spentOn: `${2025 + o.year}-07-01`,
        decidedOn: `${2025 + o.year}-07-01`,
        policy,
      };
    case 'correct': {
      const open = state.entries.filter(
        (e) =>
          (e.kind === 'disbursement' || e.kind === 'expenditure') &&
          !e.reversesEntryId &&
          !e.reversedByEntryId,
      );
      if (open.length === 0) return null;
      const target = open[o.pick % open.length]!;
      const amount = fen(share(target.amount.fen, o.percent));
      const replacement = !o.replace
        ? undefined
        : target.kind === 'disbursement'
          ? {
              kind: 'disbursement' as const,
              entryId: `e${n}b`,
              amount,
              disbursedOn: o.on,
            }
          : {
              kind: 'expenditure' as const,
              entryId: `e${n}b`,
              category: 'energy',
              amount,
              evidenceHash: HASH,
              spentOn: `${2025 + target.supportYear}-07-02`,
            };
      return {
        kind: 'correct-entry',
        reversalEntryId: `e${n}`,
        reversesEntryId: target.entryId,
        reason: 'correction',
        correctedOn: target.kind === 'disbursement' ? '2028-08-01' : `${2025 + target.supportYear}-08-01`,
        replacement,
        policy,
      };
    }
  }
}

/** Runs the steps after a funding prelude; refused commands (DomainError) leave no trace, as in the service. */
function run([prelude, ops]: [Op[], Op[]]): SubsidyAccountEvent[] {
  let events = subsidyAccountDecider.decide(open(), subsidyAccountDecider.initialState());
  [...prelude, ...ops].forEach((o, n) => {
    const state = foldEvents(subsidyAccountDecider, events) as OpenAccountState;
    const command = toCommand(o, state, n);
    if (!command) return;
    try {
      events = [...events, ...subsidyAccountDecider.decide(command, state)];
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
  });
  return events;
}

/** The year's totals summed straight from the events, independently of the aggregate's ledger. */
function totalsFromEvents(events: SubsidyAccountEvent[], supportYear: number) {
  const t = { granted: 0n, cancelled: 0n, disbursed: 0n, spent: 0n };
  for (const e of events) {
    // A revision of the year-1 approval reverses the year-1 grant standing (its payload names no year).
    if (e.type === T.Year1ApprovalRevised && supportYear === 1)
      t.granted -= BigInt(e.payload.previousGrantFen);
    const p = e.payload as { supportYear?: number; amountFen?: string };
    if (p.supportYear !== supportYear) continue;
    if (e.type === T.GrantDecided) t.granted += BigInt(e.payload.amountFen);
    if (e.type === T.AnnualGrantRevised) t.granted -= BigInt(e.payload.previousGrantFen);
    if (e.type === T.GrantCancelled) t.cancelled += BigInt(e.payload.cancelledFen);
    if (e.type === T.CancellationReduced) t.cancelled -= BigInt(e.payload.amountFen);
    if (e.type === T.DisbursementRecorded) t.disbursed += BigInt(e.payload.amountFen);
    if (e.type === T.ExpenditureAccepted) t.spent += BigInt(e.payload.amountFen);
    if (e.type === T.EntryReversed && e.payload.kind === 'disbursement')
      t.disbursed -= BigInt(e.payload.amountFen);
    if (e.type === T.EntryReversed && e.payload.kind === 'expenditure')
      t.spent -= BigInt(e.payload.amountFen);
  }
  return t;
}

/** The year's grants decided on or before `day` (a revision takes the grant back on its day), from the events. */
function grantedBy(events: SubsidyAccountEvent[], supportYear: number, day: string): bigint {
  let granted = 0n;
  for (const e of events) {
    if (e.type === T.GrantDecided && e.payload.supportYear === supportYear && e.payload.decidedOn <= day)
      granted += BigInt(e.payload.amountFen);
    if (e.type === T.Year1ApprovalRevised && supportYear === 1 && e.payload.revisedOn <= day)
      granted -= BigInt(e.payload.previousGrantFen);
    if (
      e.type === T.AnnualGrantRevised &&
      e.payload.supportYear === supportYear &&
      e.payload.revisedOn <= day
    )
      granted -= BigInt(e.payload.previousGrantFen);
  }
  return granted;
}

/** Usually a year-1 grant and a year-2 grant first, so that most steps have money to move. */
const prelude: fc.Arbitrary<Op[]> = fc
  .tuple(
    fc.option(fc.bigInt({ min: 1n, max: 900_000_001n })),
    fc.integer({ min: 1, max: 100 }),
    // Sometimes the approval revised (on 20 May 2026), often upwards: a grant decided after a revocation day.
    fc.option(fc.integer({ min: 1, max: 101 }), { freq: 2 }),
    fc.option(fc.constantFrom(...GRADES)),
  )
  .map(([costs, approved, revised, grade]) => [
    ...(costs === null
      ? []
      : [
          { op: 'declare' as const, amount: costs },
          { op: 'approve' as const, percent: approved },
          ...(revised === null ? [] : [{ op: 'revise' as const, percent: revised }]),
        ]),
    ...(grade === null ? [] : [{ op: 'assess' as const, year: 1, grade }]),
  ]);
const steps = fc.tuple(prelude, fc.array(opArb, { minLength: 1, maxLength: 30, size: 'medium' }));

describe('subsidy account ledger invariants (property-based)', () => {
  it('balance = disbursed − accepted spending ≥ 0, and disbursed + cancelled ≤ granted, after every history', () => {
    fc.assert(
      fc.property(steps, (ops) => {
        const events = run(ops);
        for (const y of [1, 2, 3]) {
          const t = totalsFromEvents(events, y);
          expect(t.spent).toBeGreaterThanOrEqual(0n);
          expect(t.disbursed).toBeGreaterThanOrEqual(t.spent);
          expect(t.disbursed + t.cancelled).toBeLessThanOrEqual(t.granted);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the ledger entries sum to the totals the account shows', () => {
    fc.assert(
      fc.property(steps, (ops) => {
        const events = run(ops);
        const state = foldEvents(subsidyAccountDecider, events) as OpenAccountState;
        for (const y of [1, 2, 3]) {
          const t = totalsFromEvents(events, y);
          const ledger = supportYearLedger(state, y);
          expect([ledger.granted.fen, ledger.cancelled.fen, ledger.disbursed.fen, ledger.spent.fen]).toEqual([
            t.granted,
            t.cancelled,
            t.disbursed,
            t.spent,
          ]);
          expect(ledger.balance.fen).toBe(t.disbursed - t.spent);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('grants each support year at most once (a year-1 grant again only after its revision reversed the last), within the policy caps; after revocation no grant, and new money only for payments made before it', () => {
    fc.assert(
      fc.property(steps, (ops) => {
        const events = run(ops);
        const grants = events.filter((e) => e.type === T.GrantDecided);
        const years = grants.map((g) => (g.payload as { supportYear: number }).supportYear);
        const revisions = events.filter(
          (e) => e.type === T.Year1ApprovalRevised || e.type === T.AnnualGrantRevised,
        ).length;
        expect(years.length - revisions).toBe(new Set(years).size);
        // Each revision reverses its year's grant decided just before it (a year-1 approval, a later grade).
        events.forEach((e, i) => {
          if (e.type !== T.Year1ApprovalRevised && e.type !== T.AnnualGrantRevised) return;
          const year = e.type === T.AnnualGrantRevised ? e.payload.supportYear : 1;
          const last = events
            .slice(0, i)
            .filter((g) => g.type === T.GrantDecided && g.payload.supportYear === year)
            .pop();
          expect(e.payload.previousGrantEntryId).toBe((last?.payload as { entryId: string }).entryId);
          expect(events[i + 1]?.type).toBe(T.GrantDecided);
        });
        for (const g of grants) {
          const p = g.payload as { supportYear: number; amountFen: string };
          const cap = p.supportYear === 1 ? defaultPolicy.year1CapFen : defaultPolicy.annualBaseFen;
          expect(BigInt(p.amountFen)).toBeLessThanOrEqual(BigInt(cap));
        }
        const stoppedAt = events.findIndex((e) => e.type === T.SupportStopped);
        if (stoppedAt >= 0) {
          const after = events.slice(stoppedAt + 1);
          expect(after.filter((e) => e.type === T.GrantDecided)).toEqual([]);
          // New money after the stop only for a payment made on or before the revocation day, each taken
          // back from the year's cancellation right before it, the same amount.
          const revokedOn = (events[stoppedAt]!.payload as { revokedOn: string }).revokedOn;
          after.forEach((e, i) => {
            if (e.type !== T.DisbursementRecorded || e.payload.correctsEntryId !== null) return;
            expect(e.payload.disbursedOn <= revokedOn).toBe(true);
            const reduced = after[i - 1];
            expect(reduced?.type).toBe(T.CancellationReduced);
            expect(reduced?.payload).toMatchObject({
              disbursementEntryId: e.payload.entryId,
              amountFen: e.payload.amountFen,
              supportYear: e.payload.supportYear,
            });
          });
          expect(after.filter((e) => e.type === T.CancellationReduced)).toHaveLength(
            after.filter((e) => e.type === T.DisbursementRecorded && e.payload.correctsEntryId === null)
              .length,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pays a grant only from the day it was decided; after revocation, only grants decided by its day, and no correction moves a payment across it', () => {
    fc.assert(
      fc.property(steps, (ops) => {
        const events = run(ops);
        const stoppedAt = events.findIndex((e) => e.type === T.SupportStopped);
        const revokedOn =
          stoppedAt < 0 ? null : (events[stoppedAt]!.payload as { revokedOn: string }).revokedOn;
        const paidOnOf = new Map<string, string>();
        events.forEach((e, i) => {
          if (e.type !== T.DisbursementRecorded) return;
          const p = e.payload;
          paidOnOf.set(p.entryId, p.disbursedOn);
          const before = events.slice(0, i);
          const firstGrant = before
            .filter((g) => g.type === T.GrantDecided && g.payload.supportYear === p.supportYear)
            .map((g) => (g.payload as { decidedOn: string }).decidedOn)
            .sort()[0];
          expect(firstGrant).toBeDefined();
          expect(p.disbursedOn >= firstGrant!).toBe(true);
          if (revokedOn === null || i < stoppedAt) return;
          if (p.correctsEntryId !== null) {
            // A replacement stays on the side of the revocation day of the payment it replaces.
            expect(p.disbursedOn > revokedOn).toBe(paidOnOf.get(p.correctsEntryId)! > revokedOn);
            return;
          }
          // New money after the stop: the year's disbursements stay within its grants decided by revokedOn
          // (none for a grant decided after it).
          const t = totalsFromEvents(events.slice(0, i + 1), p.supportYear);
          expect(t.disbursed).toBeLessThanOrEqual(grantedBy(before, p.supportYear, revokedOn));
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('records a payment of exactly what may still be paid, and refuses a fen more: the undisbursed grant before a stop; after it, of what the stop cancelled, the grants decided by the revocation day, paid on that day', () => {
    fc.assert(
      fc.property(steps, (ops) => {
        const events = run(ops);
        const state = foldEvents(subsidyAccountDecider, events) as OpenAccountState;
        const stop = events.find((e) => e.type === T.SupportStopped);
        const revokedOn = stop ? (stop.payload as { revokedOn: string }).revokedOn : null;
        for (const y of [1, 2, 3]) {
          // What may still be paid, from the events alone (not from the aggregate's ledger).
          const t = totalsFromEvents(events, y);
          const unpaid = revokedOn === null ? t.granted : grantedBy(events, y, revokedOn);
          const room = unpaid > t.disbursed ? unpaid - t.disbursed : 0n;
          const payable = revokedOn === null || room < t.cancelled ? room : t.cancelled;
          if (payable === 0n) continue;
          const pay = (amountFen: bigint): SubsidyAccountCommand => ({
            kind: 'disburse',
            entryId: 'paid-at-limit',
            supportYear: y,
            amount: fen(amountFen),
            disbursedOn: revokedOn ?? '2028-07-01',
            recordedOn: '2028-07-02',
            reference: 'voucher at the limit',
            reductionEntryId: 'paid-at-limit-r',
          });
          expect(subsidyAccountDecider.decide(pay(payable), state).map((e) => e.type)).toEqual(
            revokedOn === null ? [T.DisbursementRecorded] : [T.CancellationReduced, T.DisbursementRecorded],
          );
          expect(errorOf(() => subsidyAccountDecider.decide(pay(payable + 1n), state))).toMatchObject({
            rule: 'A12',
            details: { field: 'amountFen' },
          });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a redelivered assessment or revocation changes nothing; the first delivery decides, or is the one refusal documented', () => {
    fc.assert(
      fc.property(steps, year, fc.constantFrom(...GRADES), (ops, y, grade) => {
        const events = run(ops);
        const state = foldEvents(subsidyAccountDecider, events) as OpenAccountState;
        // Delivered twice: the first delivery must not throw, and the second decides nothing (nor throws).
        const twice = (command: SubsidyAccountCommand): SubsidyAccountEvent[] => {
          const first = subsidyAccountDecider.decide(command, state);
          const after = foldEvents(subsidyAccountDecider, [...events, ...first]);
          expect(subsidyAccountDecider.decide(command, after)).toEqual([]);
          return first;
        };
        const assessment = { ...assessed(y, grade), entryId: 'again' };
        const target = state.status === 'stopped' ? undefined : state.years[y];
        const basis = target?.basis;
        const sameAssessment =
          basis?.kind === 'assessment' &&
          basis.assessedYear === assessment.assessedYear &&
          basis.grade === grade;
        if (target?.status === 'granted' && !sameAssessment)
          // A12.3: a year granted is not granted again on another assessment (409); nothing is recorded.
          expect(errorOf(() => subsidyAccountDecider.decide(assessment, state))).toBeInstanceOf(
            IllegalTransitionError,
          );
        else
          expect(twice(assessment).map((e) => e.type)).toEqual(
            target && target.status !== 'granted' ? [T.GrantDecided] : [],
          );
        const revocation = twice({
          kind: 'stop-support',
          revokedOn: '2027-06-01',
          rule: 'A16',
          reason: 'again',
        });
        expect(revocation[0]?.type).toBe(state.status === 'stopped' ? undefined : T.SupportStopped);
      }),
      { numRuns: 200 },
    );
  });
});
