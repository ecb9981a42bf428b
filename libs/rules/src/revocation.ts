import { Grade, GRADES } from './catalogue';
import { Decision, makeDecision, reason } from './decision';
import { RuleInputError } from './errors';
import { operationStartDeclarationDays, Policy } from './policy/policy';
import { addDays, addYears, LocalDate, readLocalDate, show } from './values/local-date';
import { readArray, readCount, readObject } from './values/read';

export interface OperatingDeadlineInputs {
  recognizedOn: LocalDate;
  operationStartedOn: LocalDate | null;
  asOf: LocalDate | null;
}

export interface OperatingDeadlineOutcome {
  deadline: LocalDate;
  status: 'started-in-time' | 'pending' | 'missed';
  revoke: boolean;
}

/** A17.3a: recognition date + operatingDeadlineYears, inclusive. */
export function operatingDeadline(recognizedOn: LocalDate, policy: Policy): LocalDate {
  return addYears(recognizedOn, policy.operatingDeadlineYears);
}

export function decideOperatingDeadline(
  raw: unknown,
  policy: Policy,
): Decision<OperatingDeadlineInputs, OperatingDeadlineOutcome> {
  const o = readObject(raw, 'input', 'A17.3');
  const recognizedOn = readLocalDate(o.recognizedOn, 'recognizedOn', 'A17.3');
  const started =
    o.operationStartedOn == null ? null : readLocalDate(o.operationStartedOn, 'operationStartedOn', 'A17.3');
  const asOf = o.asOf == null ? null : readLocalDate(o.asOf, 'asOf', 'A17.3');
  if (started === null && asOf === null)
    throw new RuleInputError('asOf', 'required when operation has not started', 'A17.3');
  if (started !== null && started < recognizedOn)
    throw new RuleInputError('operationStartedOn', `precedes recognition on ${recognizedOn}`, 'A17.3');
  const deadline = operatingDeadline(recognizedOn, policy);
  const status: OperatingDeadlineOutcome['status'] =
    started !== null
      ? started <= deadline
        ? 'started-in-time'
        : 'missed'
      : asOf! <= deadline
        ? 'pending'
        : 'missed';
  const revoke = status === 'missed';
  const measured = started ?? `not started as of ${asOf}`;
  return makeDecision({
    rule: 'operating-deadline',
    policyVersion: policy.version,
    inputs: { recognizedOn, operationStartedOn: started, asOf },
    outcome: { deadline, status, revoke },
    reasons: [
      reason(
        'A17.3',
        'operatingDeadline',
        measured,
        `<= ${deadline}`,
        !revoke,
        started !== null
          ? `${recognizedOn}认定，${started}投入运营，${revoke ? '超过' : '未超过'}两年期限${deadline}`
          : `${recognizedOn}认定，截至${asOf}未投入运营，${revoke ? '已超过' : '尚未超过'}期限${deadline}`,
        started !== null
          ? `recognised ${recognizedOn}, operating from ${started}: ${revoke ? 'after' : 'within'} the deadline ${deadline}`
          : `recognised ${recognizedOn}, not operating as of ${asOf}: deadline ${deadline} ${revoke ? 'passed' : 'not yet passed'}`,
      ),
    ],
  });
}

/**
 * A17.3a: the last day a start dated on or before the operating deadline may be declared — the deadline +
 * operationStartDeclarationDays, inclusive. The fact counts (投入运营 by the deadline), not the day the
 * paperwork arrives; the deadline's record (and so the revocation, still dated the day after the deadline)
 * waits until this day has ended.
 */
export function operationStartDeclarationsClose(recognizedOn: LocalDate, policy: Policy): LocalDate {
  return addDays(operatingDeadline(recognizedOn, policy), operationStartDeclarationDays(policy));
}

export interface OperationStartDeclarationInputs {
  recognizedOn: LocalDate;
  operationStartedOn: LocalDate;
  declaredOn: LocalDate;
}

export interface OperationStartDeclarationOutcome {
  deadline: LocalDate;
  /** The policy's operationStartDeclarationDays the decision used. */
  declarationDays: number;
  declarationsCloseOn: LocalDate;
  accepted: boolean;
}

/**
 * A17.3a, a declared start of operation: taken when the start is on or before the operating deadline and
 * declared by the day declarations close (operationStartDeclarationsClose). A start after the deadline is
 * refused whenever it is declared: the center did not operate within the two years, and the deadline's
 * record revokes it.
 */
export function decideOperationStartDeclaration(
  raw: unknown,
  policy: Policy,
): Decision<OperationStartDeclarationInputs, OperationStartDeclarationOutcome> {
  const o = readObject(raw, 'input', 'A17.3');
  const recognizedOn = readLocalDate(o.recognizedOn, 'recognizedOn', 'A17.3');
  const startedOn = readLocalDate(o.operationStartedOn, 'operationStartedOn', 'A17.3');
  const declaredOn = readLocalDate(o.declaredOn, 'declaredOn', 'A17.3');
  if (startedOn < recognizedOn)
    throw new RuleInputError('operationStartedOn', `precedes recognition on ${recognizedOn}`, 'A17.3');
  if (startedOn > declaredOn)
    throw new RuleInputError('operationStartedOn', `is after the declaration on ${declaredOn}`, 'A17.3');
  const deadline = operatingDeadline(recognizedOn, policy);
  const declarationDays = operationStartDeclarationDays(policy);
  const declarationsCloseOn = operationStartDeclarationsClose(recognizedOn, policy);
  const inTime = startedOn <= deadline;
  const declaredInTime = declaredOn <= declarationsCloseOn;
  const accepted = inTime && declaredInTime;
  return makeDecision({
    rule: 'operation-start-declaration',
    policyVersion: policy.version,
    inputs: { recognizedOn, operationStartedOn: startedOn, declaredOn },
    outcome: { deadline, declarationDays, declarationsCloseOn, accepted },
    reasons: [
      reason(
        'A17.3',
        'operatingDeadline',
        startedOn,
        `<= ${deadline}`,
        inTime,
        `${recognizedOn}认定，${startedOn}投入运营，${inTime ? '未超过' : '超过'}两年期限${deadline}`,
        `recognised ${recognizedOn}, operating from ${startedOn}: ${inTime ? 'within' : 'after'} the deadline ${deadline}`,
      ),
      reason(
        'A17.3',
        'startDeclaredBy',
        declaredOn,
        `<= ${declarationsCloseOn} (${deadline} + ${declarationDays} days)`,
        declaredInTime,
        `${declaredOn}申报投入运营，${declaredInTime ? '在' : '晚于'}期限后${declarationDays}日的申报截止日${declarationsCloseOn}${declaredInTime ? '之前（含）' : ''}`,
        `declared on ${declaredOn}: ${declaredInTime ? 'by' : 'after'} ${declarationsCloseOn}, the last day to declare a start made by the deadline (${declarationDays} days after it)`,
      ),
    ],
  });
}

export interface YearGrade {
  year: number;
  grade: Grade;
}

export interface ConsecutiveUnqualifiedOutcome {
  revoke: boolean;
  /** The assessment year whose grade completed the run, or null. */
  revokedAfterYear: number | null;
  longestRun: number;
}

/** A17.3b: unqualified in `consecutiveUnqualifiedToRevoke` consecutive assessment years. */
export function decideConsecutiveUnqualified(
  raw: unknown,
  policy: Policy,
): Decision<{ grades: YearGrade[] }, ConsecutiveUnqualifiedOutcome> {
  const list = readArray(readObject(raw, 'input', 'A17.3').grades, 'grades', 'A17.3');
  const grades = list
    .map((item, i): YearGrade => {
      const g = readObject(item, `grades[${i}]`, 'A17.3');
      if (!(GRADES as readonly unknown[]).includes(g.grade))
        throw new RuleInputError(
          `grades[${i}].grade`,
          `expected one of ${GRADES.join(', ')}, got ${show(g.grade)}`,
          'A17.1',
        );
      return { year: readCount(g.year, `grades[${i}].year`, 'A17.3'), grade: g.grade as Grade };
    })
    .sort((a, b) => a.year - b.year);
  grades.forEach((g, i) => {
    if (i > 0 && grades[i - 1].year === g.year)
      throw new RuleInputError('grades', `year ${g.year} is graded twice`, 'A17.3');
  });
  const needed = policy.consecutiveUnqualifiedToRevoke;
  let run = 0;
  let longestRun = 0;
  let revokedAfterYear: number | null = null;
  grades.forEach((g, i) => {
    const continues = i > 0 && grades[i - 1].year === g.year - 1;
    run = g.grade === '不合格' ? (continues ? run + 1 : 1) : 0;
    longestRun = Math.max(longestRun, run);
    if (run >= needed && revokedAfterYear === null) revokedAfterYear = g.year;
  });
  const revoke = revokedAfterYear !== null;
  const history = grades.map((g) => `${g.year} ${g.grade}`).join(', ');
  return makeDecision({
    rule: 'consecutive-unqualified',
    policyVersion: policy.version,
    inputs: { grades },
    outcome: { revoke, revokedAfterYear, longestRun },
    reasons: [
      reason(
        'A17.3',
        'consecutiveUnqualified',
        longestRun,
        `< ${needed}`,
        !revoke,
        revoke
          ? `连续${needed}年考核不合格（至${revokedAfterYear}年），撤销认定`
          : `未出现连续${needed}年考核不合格（最长连续${longestRun}年）`,
        revoke
          ? `unqualified in ${needed} consecutive years (through ${revokedAfterYear}): revoke (${history})`
          : `no ${needed} consecutive unqualified years (longest run ${longestRun}; ${history || 'no grades'})`,
      ),
    ],
  });
}
