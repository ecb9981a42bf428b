import type { OperatingDeadlineCheckV1 } from '@nqpf/contracts';
import { RuleViolationError, underRules } from '@nqpf/domain';
import { addDays, decideOperatingDeadline, Policy } from '@nqpf/rules';
import { paidAfterRevocationDay } from './subsidy-account.ledger';

/**
 * What finance knows of a center's A17.3a operating deadline, from assessment's events: the deadline it
 * tracked at recognition under `policy` (assessment.center-tracked) and the start it recorded
 * (assessment.operation-start-recorded; null while none is).
 */
export interface OperatingDeadlineFacts {
  recognizedOn: string;
  deadline: string;
  operationStartedOn: string | null;
  /** The version assessment decided the deadline under (the one in force on the recognition day). */
  policy: Policy;
}

/** What a payment records of the deadline: spread into its finance.disbursement-recorded. */
export type OperatingDeadlineRecord =
  | { operatingDeadlineCheck: OperatingDeadlineCheckV1; deadlinePassedAcknowledged: boolean }
  | Record<string, never>;

/** The stop the check is made under, if any: the revocation of record and its day. */
export interface RevocationOfRecord {
  revokedOn: string;
  rule: string;
}

/**
 * A17.3a for a payment dated `paidOn`: recognition is lost the day after the deadline when no start was made
 * by it — assessment dates that revocation `deadline + 1` — and a center recognised in spring reaches it just
 * as its year-3 grant is paid. Paid on the deadline or on the revocation day is not paid after the
 * revocation; paid after that day (paidAfterRevocationDay, the rule the stop and the ledger apply) it is to be
 * recovered, so with no start in time it is refused (422 naming `field`, the deadline and the start) unless
 * the officer acknowledges it. A start recorded later (declared in the window after the deadline, dated on or
 * before it) lifts it. The decision is taken as of the day paid: a start dated after it did not exist then.
 * Nothing is checked while finance knows no deadline of the center (assessment's event not read yet, or
 * never). `deadlinePassedAcknowledged` is true exactly when the acknowledgement was needed (and so given):
 * the deadline had passed as of the day paid and the day paid is after the revocation day.
 * `stop`: the account's revocation of record, whose day decides what is to be recovered (docs/rules.md).
 */
export function checkOperatingDeadline(
  paidOn: string,
  facts: OperatingDeadlineFacts | undefined,
  acknowledged: boolean | undefined,
  field: string,
  stop?: RevocationOfRecord,
): OperatingDeadlineRecord {
  if (!facts) return {};
  const started = facts.operationStartedOn;
  const decision = underRules(() =>
    decideOperatingDeadline(
      {
        recognizedOn: facts.recognizedOn,
        operationStartedOn: started !== null && started <= paidOn ? started : null,
        asOf: paidOn,
      },
      facts.policy,
    ),
  );
  const { deadline, revoke } = decision.outcome;
  if (deadline !== facts.deadline)
    throw new RuleViolationError(
      'A17.3a',
      `policy ${facts.policy.version} gives the operating deadline ${deadline}, not the ${facts.deadline} assessment tracked`,
    );
  const revokedOn = addDays(deadline, 1);
  const needsAcknowledgement = revoke && paidAfterRevocationDay(paidOn, revokedOn);
  if (needsAcknowledgement && acknowledged !== true)
    throw new RuleViolationError(
      'A17.3a',
      `paid on ${paidOn}, after ${revokedOn}: the center's operating deadline was ${deadline} (recognised ` +
        `${facts.recognizedOn} + ${facts.policy.operatingDeadlineYears} years, inclusive), ` +
        (started === null
          ? 'with no operation start recorded'
          : `with the operation start recorded on ${started}, after the deadline`) +
        (stop
          ? `; recognition was revoked on ${stop.revokedOn} (${stop.rule}), the revocation of record, so ` +
            `support paid from ${addDays(revokedOn, 1)} to ${stop.revokedOn} is not named for recovery`
          : `; unless a start made by the deadline is still declared, recognition is revoked on ${revokedOn} ` +
            `and support paid after that day is to be recovered`) +
        ` (paid on the deadline or the day after it needs no acknowledgement); send ${field}: true to record ` +
        `the payment anyway`,
      { field, operatingDeadline: deadline, operationStartedOn: started, disbursedOn: paidOn },
    );
  return { operatingDeadlineCheck: decision, deadlinePassedAcknowledged: needsAcknowledgement };
}
