import {
  AssessmentEventTypes,
  EventEnvelope,
  FinanceEventTypes,
  IntakeEventTypes,
  ReportingEventTypes,
  ReviewEventTypes,
} from '@nqpf/contracts';
import { envelope } from './event-fixture';
import { quarterEnd } from '@nqpf/rules';

const facts = {
  premises: { buildingAreaM2: '5000.00' },
  services: [],
  functions: [],
  institutions: [],
  strategicCooperations: [],
  operator: { name: '长春创新运营有限公司', creditCode: '91220101MA00000000' },
  team: { staffInPost: 10, brokers: { junior: 0, intermediate: 5, senior: 0 } },
  activities: { count: 100, periodFrom: '2025-03-01', periodTo: '2026-02-28' },
};

const reason = (ruleId: string, passed: boolean) => ({
  ruleId,
  criterion: ruleId,
  measured: 1,
  threshold: 1,
  passed,
  message: { zh: ruleId, en: ruleId },
});

/** Intake's events of one application, submitted and accepted in `district`. */
export function intakeStory(centerId: string, district: string): EventEnvelope[] {
  const base = { applicationId: centerId, callId: 'call-2026', district, revision: 1 };
  return [
    envelope(IntakeEventTypes.ApplicationSubmitted, centerId, {
      ...base,
      submittedAt: '2026-03-05T17:30:00Z',
      facts,
      materials: [],
    }),
    envelope(IntakeEventTypes.ApplicationEndorsed, centerId, { ...base, endorsedAt: '2026-03-06T02:00:00Z' }),
    envelope(IntakeEventTypes.ApplicationAccepted, centerId, {
      ...base,
      operatorAccountId: `op-${centerId}`,
      acceptedAt: '2026-03-08T02:00:00Z',
      facts,
      materials: [],
      materialsDecision: {
        rule: 'materials',
        rulesetVersion: 'r1',
        policyVersion: 'p2026',
        inputs: { materials: [] },
        outcome: { complete: true, missing: [] },
        reasons: [],
      },
    }),
  ];
}

/** Review's events from candidacy to recognition on `recognitionDate`. */
export function reviewStory(centerId: string, district: string, recognitionDate: string): EventEnvelope[] {
  const a = { applicationId: centerId };
  return [
    envelope(ReviewEventTypes.CandidacyOpened, centerId, {
      ...a,
      callId: 'call-2026',
      operatorAccountId: `op-${centerId}`,
      district,
      acceptedAt: '2026-03-08T02:00:00Z',
      facts,
      materials: [],
    }),
    envelope(ReviewEventTypes.EligibilityDecided, centerId, {
      ...a,
      eligible: true,
      decidedAt: '2026-03-09T02:00:00Z',
      decision: {
        rule: 'eligibility',
        rulesetVersion: 'r1',
        policyVersion: 'p2026',
        inputs: {},
        outcome: { eligible: true, failed: [] },
        reasons: [reason('A6.1', true), reason('A6.4', true)],
      },
    }),
    envelope(ReviewEventTypes.CandidacyListed, centerId, {
      ...a,
      listId: 'l1',
      decidedAt: '2026-01-20T02:00:00Z',
      reason: 'ok',
    }),
    envelope(ReviewEventTypes.CenterRecognized, centerId, {
      centerId,
      recognitionDate,
      district,
      operator: { accountId: `op-${centerId}`, name: '长春创新运营有限公司', creditCode: 'c' },
      callId: 'call-2026',
    }),
  ];
}

/** An A17.3b check that revokes nothing, as the grade fixtures record it. */
const NO_REVOCATION = {
  rule: 'r',
  rulesetVersion: 'r1',
  policyVersion: 'p',
  inputs: {},
  outcome: { revoke: false, revokedAfterYear: null, longestRun: 0 },
  reasons: [],
};

export function gradeEvent(centerId: string, year: number, grade: string): EventEnvelope {
  return envelope(AssessmentEventTypes.AssessmentCompleted, centerId, {
    centerId,
    year,
    supportYear: null,
    grade,
    method: 'direct',
    indicators: null,
    score: null,
    reason: 'test',
    activityCount: 100,
    reportCompliance: { due: 0, filedOnTime: 0, filedLate: 0, missing: 0 },
    assessedOn: `${year + 1}-02-15`,
    decision: null,
    revocationCheck: NO_REVOCATION,
  });
}

/** The bureau corrected `year`'s grade from `previousGrade` to `grade` (assessment.assessment-revised). */
export function gradeRevisedEvent(
  centerId: string,
  year: number,
  previousGrade: string,
  grade: string,
): EventEnvelope {
  return envelope(AssessmentEventTypes.AssessmentRevised, centerId, {
    centerId,
    year,
    supportYear: null,
    previousGrade,
    grade,
    method: 'direct',
    indicators: null,
    score: null,
    gradeReason: 'test',
    reason: '录入错误',
    assessedOn: `${year + 1}-02-15`,
    revisedOn: `${year + 1}-03-01`,
    decision: null,
    revocationCheck: NO_REVOCATION,
  });
}

const decision = (outcome: object) => ({
  rule: 'r',
  rulesetVersion: 'r1',
  policyVersion: 'p',
  inputs: {},
  outcome,
  reasons: [],
});

/** A period key's kind and last day: 'YYYY' a year (A15), 'YYYY-Qn' a quarter (A14). */
function periodOf(period: string) {
  const [year, quarter] = period.split('-Q').map(Number);
  return quarter === undefined
    ? { kind: 'annual' as const, periodEnd: `${year}-12-31` }
    : { kind: 'quarterly' as const, periodEnd: quarterEnd(year!, quarter) };
}

export function reportDue(centerId: string, period: string, dueOn: string): EventEnvelope {
  return envelope(ReportingEventTypes.ReportDueScheduled, centerId, {
    centerId,
    ...periodOf(period),
    period,
    dueOn,
    follows: null,
    decision: decision({ dueDate: dueOn }),
  });
}

export function reportOverdue(centerId: string, period: string, dueOn: string): EventEnvelope {
  return envelope(ReportingEventTypes.ReportOverdue, centerId, {
    centerId,
    kind: periodOf(period).kind,
    period,
    dueOn,
    asOf: dueOn,
    decision: decision({ overdue: true, filed: false }),
  });
}

export function accountOpened(centerId: string, district: string, recognizedOn: string): EventEnvelope {
  const year = Number(recognizedOn.slice(0, 4));
  return envelope(FinanceEventTypes.SubsidyAccountOpened, centerId, {
    centerId,
    district,
    operatorId: `op-${centerId}`,
    recognizedOn,
    policyVersion: 'p2026',
    supportYears: [1, 2, 3].map((n) => ({ supportYear: n, calendarYear: year + n - 1 })),
  });
}

/** assessment.center-tracked: the A17.3a deadline assessment decided from the policy in force. */
export function tracked(centerId: string, recognizedOn: string, operatingDeadline: string): EventEnvelope {
  return envelope(AssessmentEventTypes.CenterTracked, centerId, {
    centerId,
    district: '南关区',
    operatorId: `op-${centerId}`,
    recognizedOn,
    operatingDeadline,
    policyVersion: 'p2026',
    decision: {
      ...decision({ deadline: operatingDeadline, status: 'pending', revoke: false }),
      rule: 'operating-deadline',
    },
  });
}

/** reporting.obligations-ended: the center was revoked. */
export function obligationsEnded(centerId: string, endedOn: string): EventEnvelope {
  return envelope(ReportingEventTypes.ObligationsEnded, centerId, {
    centerId,
    endedOn,
    ruleId: 'A17.3b',
    reason: 'consecutive-unqualified',
  });
}

/**
 * reporting.obligations-opened on recognition, with the A17.3a declaration window reporting recorded;
 * without `startDeclarationsCloseOn` as recorded before reporting kept it.
 */
export function obligationsOpened(
  centerId: string,
  recognizedOn: string,
  operatingDeadline: string,
  startDeclarationsCloseOn?: string,
): EventEnvelope {
  return envelope(ReportingEventTypes.ObligationsOpened, centerId, {
    centerId,
    district: '南关区',
    operatorId: `op-${centerId}`,
    recognizedOn,
    policyVersion: 'p2026',
    facts: null,
    operatingDeadline,
    ...(startDeclarationsCloseOn === undefined ? {} : { startDeclarationsCloseOn }),
  });
}

/** reporting.operation-start-declared with its A17.3a decision (operation-start-declaration). */
export function startDeclared(
  centerId: string,
  recognizedOn: string,
  startedOn: string,
  declaredOn: string,
  window: { deadline: string; declarationsCloseOn: string },
): EventEnvelope {
  return envelope(ReportingEventTypes.OperationStartDeclared, centerId, {
    centerId,
    startedOn,
    declaredOn,
    decision: {
      ...decision({ ...window, declarationDays: 15, accepted: true }),
      rule: 'operation-start-declaration',
      inputs: { recognizedOn, operationStartedOn: startedOn, declaredOn },
    },
  });
}

/** assessment.center-revoked (A16): the re-check after a major change found the center no longer eligible. */
export function centerRevoked(centerId: string, revokedOn: string): EventEnvelope {
  return envelope(AssessmentEventTypes.CenterRevoked, centerId, {
    centerId,
    revokedOn,
    ruleId: 'A16',
    reason: 'no-longer-eligible-after-major-change',
    explanation: { zh: '重大变化后不再符合认定条件', en: 'no longer eligible after a major change' },
    decision: decision({}),
  });
}

/** reporting.operating-deadline-passed (cause deadline): the day after declarations closed, no start. */
export function deadlinePassed(
  centerId: string,
  recognizedOn: string,
  operatingDeadline: string,
  passedOn: string,
  startDeclarationsCloseOn?: string,
): EventEnvelope {
  return envelope(ReportingEventTypes.OperatingDeadlinePassed, centerId, {
    centerId,
    recognizedOn,
    operatingDeadline,
    policyVersion: 'p2026',
    passedOn,
    cause: 'deadline',
    startedOn: null,
    declaredStart: null,
    ...(startDeclarationsCloseOn === undefined ? {} : { startDeclarationsCloseOn }),
  });
}

/** review.publicity-started (A9.3): published on 2026-01-30, the period's last day 2026-02-06. */
export function publicityStarted(centerId: string): EventEnvelope {
  return envelope(ReviewEventTypes.PublicityStarted, centerId, {
    applicationId: centerId,
    listId: 'l1',
    publishedOn: '2026-01-30',
    lastDay: '2026-02-06',
    endsAt: '2026-02-07T00:00:00+08:00',
    calendarVersion: 'cn-2026',
    startedAt: '2026-01-30T02:00:00Z',
    decision: {
      ...decision({
        lastDay: '2026-02-06',
        endsAtExclusive: '2026-02-07T00:00:00+08:00',
        countedDays: ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06'],
      }),
      rule: 'publicity-period',
      inputs: { publishedOn: '2026-01-30', workingDays: 5 },
    },
  });
}

/** review.publicity-ended: the period of publicityStarted ended with these objections still open. */
export function publicityEnded(centerId: string, pendingObjectionIds: string[]): EventEnvelope {
  return envelope(ReviewEventTypes.PublicityEnded, centerId, {
    applicationId: centerId,
    lastDay: '2026-02-06',
    endedAt: '2026-02-07T00:00:00+08:00',
    pendingObjectionIds,
  });
}

/** review.objection-raised (A9.4): received at `raisedAt` (an instant), under a real name. */
export function objectionRaised(centerId: string, objectionId: string, raisedAt: string): EventEnvelope {
  return envelope(ReviewEventTypes.ObjectionRaised, centerId, {
    applicationId: centerId,
    objectionId,
    objector: { name: '张三', contact: '13800000000' },
    content: '场地面积不实',
    raisedAt,
    admissibility: {
      ...decision({ admissible: true, failed: [] }),
      rule: 'objection-admissible',
      inputs: {
        receivedAt: raisedAt,
        publishedOn: '2026-01-30',
        publicityEndsAtExclusive: '2026-02-07T00:00:00+08:00',
        inWriting: true,
      },
    },
  });
}

/** review.objection-dismissed or -upheld (A9.4): the bureau's ruling on one objection. */
export function objectionRuled(
  centerId: string,
  objectionId: string,
  upheld: boolean,
  ruledAt: string,
): EventEnvelope {
  return envelope(upheld ? ReviewEventTypes.ObjectionUpheld : ReviewEventTypes.ObjectionDismissed, centerId, {
    applicationId: centerId,
    objectionId,
    ruledAt,
    reason: upheld ? '情况属实' : '情况不实',
  });
}
