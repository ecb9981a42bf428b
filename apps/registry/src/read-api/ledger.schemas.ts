import type { LedgerEntryKind } from '../ledger/ledger.state';
import { LEDGER_GROUP_KEYS } from '../ledger/ledger.summary';
import {
  date,
  fen,
  instant,
  integer,
  list,
  map,
  nullable,
  object,
  oneOfValues,
  page,
  ref,
  string,
  type JsonSchema,
} from './json-schema';

const ENTRY_KINDS: readonly LedgerEntryKind[] = [
  'grant',
  'disbursement',
  'expenditure',
  'rejected-expenditure',
  'reversal',
  'cancellation',
  'cancellation-reduction',
];

const yearAmounts = {
  granted: fen(),
  disbursed: fen(),
  spent: fen(),
  rejected: fen(),
  cancelled: fen(),
  balance: fen('disbursed − spent (A13)'),
  undisbursed: fen(
    'granted − cancelled − disbursed, what remains to pay of the grant (A12); never negative in a consistent ledger',
  ),
  spentByCategory: { ...map(fen()), description: 'spent per category, each integer fen as a decimal string' },
  grantPolicyVersion: nullable(string()),
};

/** ledger.query.ts LedgerYearRow: one support year of one center (GET /ledger items). */
export const LedgerYearRow = object(
  {
    centerId: string(),
    supportYear: integer(1),
    calendarYear: nullable(integer()),
    district: nullable(string()),
    ...yearAmounts,
  },
  [],
  'One support year of one center; amounts are integer fen as decimal strings.',
);

/** GET /ledger. */
export const LedgerPage = page('LedgerYearRow');

/** ledger.state.ts LedgerEntry as stored (amount a decimal string of fen). */
export const LedgerEntry = object(
  {
    entryId: string(),
    supportYear: integer(1),
    kind: oneOfValues(ENTRY_KINDS),
    amount: fen(),
    on: date(),
    category: nullable(string()),
    policyVersion: nullable(string('the policy a grant or an expenditure decision used')),
    reversesEntryId: nullable(string()),
    reason: nullable(string()),
    correctsEntryId: string('on a correction’s replacement: the entry it corrects'),
    reference: string('on a disbursement with a treasury voucher'),
    reversedKind: oneOfValues(['grant', 'disbursement', 'expenditure']),
  },
  ['correctsEntryId', 'reference', 'reversedKind'],
);

/** ledger.view.ts LedgerView: GET /ledger/:centerId, and each item of GET /ledger/as-of. */
export const LedgerView = object(
  {
    centerId: string(),
    district: nullable(string()),
    stopped: nullable(object({ revokedOn: date(), rule: string() })),
    paidAfterRevocation: list(
      object({ entryId: string(), supportYear: integer(1), amountFen: fen(), disbursedOn: date() }),
    ),
    years: list(object({ supportYear: integer(1), calendarYear: nullable(integer()), ...yearAmounts })),
    entries: list(ref('LedgerEntry')),
  },
  [],
  'One center’s subsidy ledger (A12–A13): support years in order, every entry, whether support stopped.',
);

/** Support years summed (ledger.summary.ts LedgerSums): a year's amounts, without its policy. */
const { grantPolicyVersion: _policy, ...sums } = yearAmounts;

/** GET /ledger/summary: ledger.summary.ts LedgerSummary. */
export const LedgerSummary = object(
  {
    groupBy: {
      ...list(oneOfValues(LEDGER_GROUP_KEYS)),
      minItems: 1,
      maxItems: 2,
      description: 'the keys the years are grouped by, in the order asked (`groupBy`, default year)',
    },
    years: {
      ...integer(0),
      description: 'the center-years summed: what GET /ledger lists with the same filters (its total)',
    },
    totals: object(sums, [], 'the sums over every group'),
    groups: list(
      object(
        {
          district: nullable(string()),
          year: { ...nullable(integer()), description: 'the calendar year of the support year' },
          supportYear: integer(1),
          years: { ...integer(1), description: 'the center-years summed in this group' },
          ...sums,
        },
        LEDGER_GROUP_KEYS,
        'one group: the value of each groupBy key (those only), how many center-years it sums and their sums',
      ),
    ),
  },
  [],
  'The support years in your scope matching the filters, summed per group and over all; amounts are integer fen as decimal strings, summed exactly. Groups ordered by the first key, then the second, ascending, nulls last.',
);

/** GET /ledger/as-of: with `at` or with `endOffsets`, whichever was asked. */
export const LedgerAsOf: JsonSchema = {
  description: 'The ledgers as recorded at `at`, or as of a Kafka position `endOffsets`.',
  oneOf: [
    object({ at: instant(), items: list(ref('LedgerView')) }),
    object({ endOffsets: ref('EndOffsets'), items: list(ref('LedgerView')) }),
  ],
};
