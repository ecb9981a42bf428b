import { EventEnvelope, FinanceEventTypes as F } from '@nqpf/contracts';
import { envelope } from '../standing/event-fixture';

const HASH = 'a'.repeat(64);

const decision = (rule: string, inputs: object, outcome: object) => ({
  rule,
  rulesetVersion: 'r1',
  policyVersion: 'p2026',
  inputs,
  outcome,
  reasons: [],
});

/** Finance's events for one center, schema-valid, each recorded at `at` (ISO instant) when given. */
export const finance = {
  accountOpened: (centerId: string, district: string, recognizedOn: string, at?: string): EventEnvelope =>
    envelope(
      F.SubsidyAccountOpened,
      centerId,
      {
        centerId,
        district,
        operatorId: `op-${centerId}`,
        recognizedOn,
        policyVersion: 'p2026',
        supportYears: [1, 2, 3].map((n) => ({
          supportYear: n,
          calendarYear: Number(recognizedOn.slice(0, 4)) + n - 1,
        })),
      },
      1,
      at,
    ),
  grant: (centerId: string, entryId: string, supportYear: number, amountFen: string, at?: string) =>
    envelope(
      F.GrantDecided,
      centerId,
      {
        centerId,
        entryId,
        supportYear,
        calendarYear: 2025 + supportYear,
        amountFen,
        decidedOn: `${2025 + supportYear}-05-01`,
        policyVersion: 'p2026',
        basis: { kind: 'year1-costs', declarationId: 'decl-1', approvedFen: amountFen },
        decision: decision('A12.2', {}, { amountFen, granted: true, capped: false }),
      },
      1,
      at,
    ),
  disbursement: (centerId: string, entryId: string, supportYear: number, amountFen: string, at?: string) =>
    envelope(
      F.DisbursementRecorded,
      centerId,
      {
        centerId,
        entryId,
        supportYear,
        amountFen,
        disbursedOn: `${2025 + supportYear}-05-10`,
        reference: null,
        correctsEntryId: null,
        reason: null,
      },
      1,
      at,
    ),
  expenditure: (centerId: string, entryId: string, category: string, amountFen: string, at?: string) =>
    envelope(
      F.ExpenditureAccepted,
      centerId,
      {
        centerId,
        entryId,
        supportYear: 1,
        category,
        amountFen,
        evidenceHash: HASH,
        spentOn: '2026-06-01',
        description: category,
        correctsEntryId: null,
        reason: null,
        decision: decision(
          'A13',
          { category, amountFen, disbursedFen: '0', spentFen: '0' },
          { accepted: true, rejectedFor: [] },
        ),
      },
      1,
      at,
    ),
  /** A16/A17.3: the stop cancels what was granted and not disbursed of a support year. */
  cancelled: (centerId: string, supportYear: number, cancelledFen: string, revokedOn: string) =>
    envelope(F.GrantCancelled, centerId, {
      centerId,
      supportYear,
      was: 'undisbursed-grant',
      cancelledFen,
      revokedOn,
      rule: 'A17.3b',
    }),
  rejected: (centerId: string, expenditureId: string, category: string, amountFen: string) =>
    envelope(F.ExpenditureRejected, centerId, {
      centerId,
      expenditureId,
      supportYear: 1,
      category,
      amountFen,
      evidenceHash: HASH,
      spentOn: '2026-06-02',
      description: category,
      decision: decision(
        'A13',
        { category, amountFen, disbursedFen: '0', spentFen: '0' },
        { accepted: false, rejectedFor: [`A13: ${category} is forbidden`] },
      ),
    }),
};
