import { Decision, makeDecision, reason } from './decision';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { isIsoInstant, readLocalDate, show, startOfDayShanghai } from './values/local-date';
import { readBoolean, readObject, readOptionalString } from './values/read';

export interface ObjectionInputs {
  /** When the written objection was received, an ISO instant with offset. */
  receivedAt: string;
  publishedOn: string;
  /** The publicity decision's endsAtExclusive. */
  publicityEndsAtExclusive: string;
  inWriting: boolean;
  realName?: string;
  contact?: string;
}

function readInstant(value: unknown, field: string): { text: string; ms: number } {
  if (!isIsoInstant(value))
    throw new RuleInputError(field, `expected an ISO instant with offset, got ${show(value)}`, 'A9.4');
  return { text: value, ms: Date.parse(value) };
}

/** A9.4: written, under a real name with a way to reach the objector, and within the publicity period. */
export function decideObjectionAdmissible(
  raw: unknown,
  policy: Policy,
): Decision<ObjectionInputs, { admissible: boolean; failed: string[] }> {
  const o = readObject(raw, 'input', 'A9.4');
  const received = readInstant(o.receivedAt, 'receivedAt');
  const publishedOn = readLocalDate(o.publishedOn, 'publishedOn', 'A9.4');
  const ends = readInstant(o.publicityEndsAtExclusive, 'publicityEndsAtExclusive');
  const inputs: ObjectionInputs = {
    receivedAt: received.text,
    publishedOn,
    publicityEndsAtExclusive: ends.text,
    inWriting: readBoolean(o.inWriting, 'inWriting', 'A9.4'),
  };
  const realName = readOptionalString(o.realName, 'realName', 'A9.4');
  const contact = readOptionalString(o.contact, 'contact', 'A9.4');
  if (realName) inputs.realName = realName;
  if (contact) inputs.contact = contact;
  const starts = Date.parse(startOfDayShanghai(publishedOn));
  const inPeriod = received.ms >= starts && received.ms < ends.ms;
  const reasons = [
    reason(
      'A9.4',
      'inPeriod',
      inputs.receivedAt,
      `[${startOfDayShanghai(publishedOn)}, ${ends.text})`,
      inPeriod,
      inPeriod ? '异议在公示期内提出' : '异议不在公示期内提出，不予受理',
      inPeriod ? 'raised during the publicity period' : 'raised outside the publicity period: not accepted',
    ),
    reason(
      'A9.4',
      'inWriting',
      inputs.inWriting,
      true,
      inputs.inWriting,
      inputs.inWriting ? '以书面形式提出' : '未以书面形式提出',
      inputs.inWriting ? 'in writing' : 'not in writing',
    ),
    reason(
      'A9.4',
      'realName',
      realName !== undefined,
      true,
      realName !== undefined,
      realName ? '署真实姓名' : '匿名异议不予受理',
      realName ? 'under a real name' : 'anonymous: not accepted',
    ),
    reason(
      'A9.4',
      'contact',
      contact !== undefined,
      true,
      contact !== undefined,
      contact ? '留有联系方式' : '未留联系方式，不予受理',
      contact ? 'with a way to reach the objector' : 'no contact given: not accepted',
    ),
  ];
  const failed = reasons.filter((r) => !r.passed).map((r) => `${r.ruleId}:${r.criterion}`);
  return makeDecision({
    rule: 'objection-admissible',
    policyVersion: policy.version,
    inputs,
    outcome: { admissible: failed.length === 0, failed },
    reasons,
  });
}
