import type { GradeV1, ReportKindV1 } from '@nqpf/contracts';
import { AWAITING, STANDING_PHASES, STANDING_STATUSES, type ReportState } from '../standing/standing.row';
import { STANDING_GROUP_KEYS } from '../standing/standing.summary';
import {
  anything,
  boolean,
  date,
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

const GRADES: readonly GradeV1[] = ['优秀', '良好', '合格', '不合格'];
const REPORT_KINDS: readonly ReportKindV1[] = ['quarterly', 'annual'];
const REPORT_STATES: readonly ReportState[] = ['due', 'overdue', 'filed', 'filed_late'];

/** DecisionReasonV1: one rule checked, as libs/rules records it. */
export const DecisionReason = object({
  ruleId: string(),
  criterion: string(),
  measured: anything(),
  threshold: anything(),
  passed: boolean(),
  message: object({ zh: string(), en: string() }),
});

/** standing.view.ts StandingView: one center's standing (docs/read-side.md, "standing"). */
export const StandingView = object(
  {
    centerId: string('the center (= application id)'),
    phase: oneOfValues(STANDING_PHASES),
    status: oneOfValues(STANDING_STATUSES),
    district: nullable(string('its district-level unit (A3)')),
    operator: object({
      accountId: nullable(
        string(
          'the account that filed the application, shown to the bureau, auditors, the district office and the operator; `(withheld)` for finance officers',
        ),
      ),
      name: nullable(string('the operating entity')),
      creditCode: nullable(
        string(
          "the operating entity's unified social credit code (统一社会信用代码, A6.4), from the same events as `name` (after an A16 change naming one, its); public registration data, shown to every role that reads the standing; null while unknown (a row stored before 1.18.0, until a rebuild)",
        ),
      ),
    }),
    callId: nullable(string()),
    dates: object({
      submittedOn: nullable(date()),
      recognizedOn: nullable(date()),
      operationStartedOn: nullable(date()),
      revokedOn: nullable(date()),
    }),
    eligibility: object({
      eligible: nullable(boolean()),
      policyVersion: nullable(string()),
      reasons: list(ref('DecisionReason')),
    }),
    rejection: nullable(object({ stage: string(), ruleIds: list(string()), reasons: list(string()) })),
    pendingObjections: list(string()),
    objectionPendingSince: {
      ...nullable(date()),
      description:
        'A9.4, while objection_pending: the day (Asia/Shanghai) the first objection still pending was received; null in other phases and while unknown (a row stored before it was kept, until a rebuild)',
    },
    objectionPendingDays: {
      ...nullable(integer()),
      description:
        'days from objectionPendingSince to today (as-of: its date), 0 on the day received; null with it',
    },
    declaredStartPendingDays: {
      ...nullable(integer()),
      description:
        'A17.3a: days from the day the operator declared a start the district office has not confirmed or rejected yet (awaiting district:operation-start) to today (as-of: its date), 0 on the day declared; null when none waits',
    },
    awaiting: list(oneOfValues(AWAITING)),
    grades: map(oneOfValues(GRADES), { type: 'string', pattern: '^\\d{4}$' }),
    latestGrade: nullable(oneOfValues(GRADES)),
    consecutiveUnqualified: integer(0),
    reports: object({
      due: integer(0),
      overdue: integer(0),
      pastDue: {
        ...integer(0),
        description:
          'A14, A15: of due, the reports whose due day has passed (today, or the as-of date) that reporting has not recorded overdue yet — overdue in fact; its timer records them within minutes, later while reporting is down',
      },
      endedOn: nullable(date()),
      list: list(
        object({
          kind: oneOfValues(REPORT_KINDS),
          period: string(),
          dueOn: nullable(date()),
          state: oneOfValues(REPORT_STATES),
        }),
      ),
    }),
    operatingDeadline: nullable(date()),
    daysLeftToOperatingDeadline: {
      ...nullable(integer()),
      description:
        'A17.3a: days from today (as-of: its date) to operatingDeadline, 0 on it, negative after it (a start made by then may still be declared until startDeclarationsCloseOn); null once operating or revoked, or while the deadline is unknown',
    },
    startDeclarationsCloseOn: {
      ...nullable(date()),
      description:
        'A17.3a: the last day a start made on or before operatingDeadline may still be declared (the deadline + operationStartDeclarationDays), as reporting recorded it; null while unknown',
    },
    support: {
      description: "A12.1: `{ supportYear }` in years 1–3, 'ended' after, null before",
      oneOf: [object({ supportYear: integer(1) }), { const: 'ended' }, { type: 'null' }],
    },
    revocation: nullable(
      object({
        rule: nullable(string()),
        reason: nullable(string()),
        explanation: nullable(object({ zh: string(), en: string() })),
      }),
    ),
  },
  [],
  'One center’s standing (docs/read-side.md, "standing").',
);

/** GET /standing. */
export const StandingPage = page('StandingView');

/** GET /standing/summary: standing.summary.ts StandingSummary. */
export const StandingSummary = object(
  {
    groupBy: {
      ...list(oneOfValues(STANDING_GROUP_KEYS)),
      minItems: 1,
      maxItems: 2,
      description: 'the keys the centers are grouped by, in the order asked (`groupBy`, default district)',
    },
    total: {
      ...integer(0),
      description: 'the centers counted: what GET /standing lists with the same filters (its total)',
    },
    groups: list(
      object(
        {
          district: nullable(string()),
          phase: oneOfValues(STANDING_PHASES),
          status: oneOfValues(STANDING_STATUSES),
          latestGrade: nullable(oneOfValues(GRADES)),
          count: integer(1),
        },
        STANDING_GROUP_KEYS,
        'one group: the value of each groupBy key (those only) and how many centers have them',
      ),
    ),
  },
  [],
  'The standings in your scope matching the filters, counted per group, ordered by the first key, then the second (as the list sorts by each: phase by lifecycle, grade by rank), nulls last.',
);

/** A Kafka position: per topic and partition, the offset the replay stopped at (exclusive), as a string. */
export const EndOffsets = map(
  map({ type: 'string', pattern: '^\\d+$' }, { type: 'string', pattern: '^\\d+$' }),
);

/** GET /standing/as-of: with `at` or with `endOffsets`, whichever was asked. */
export const StandingAsOf: JsonSchema = {
  description:
    'The standing as recorded at `at`, or as of a Kafka position `endOffsets`; `date` is the day days are counted from.',
  oneOf: [
    object({ at: instant(), date: date(), items: list(ref('StandingView')) }),
    object({ endOffsets: ref('EndOffsets'), date: date(), items: list(ref('StandingView')) }),
  ],
};
