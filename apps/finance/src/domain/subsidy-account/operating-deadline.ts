import type { OperatingDeadlineCheckV1 } from '@nqpf/contracts';
import { RuleViolationError, underRules } from '@nqpf/domain';
import { addDays, decideOperatingDeadline, Policy } from '@nqpf/rules';

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

/**
 * A17.3a for a payment dated `paidOn`: recognition is lost the day after the deadline (inclusive) when no
 * start was made by it, and a center recognised in spring reaches it just as its year-3 grant is paid. A
 * payment dated after the deadline with no start in time is refused (422 naming `field`, the deadline and
 * the start) unless the officer acknowledges it; then it is recorded with the check and the acknowledgement.
 * A start recorded later (declared in the window after the deadline, dated on or before it) lifts it. The
 * decision is taken as of the day paid: a start dated after it did not exist then. Nothing is checked while
 * finance knows no deadline of the center (assessment's event not read yet, or never).
 */
export function checkOperatingDeadline(
  paidOn: string,
  facts: OperatingDeadlineFacts | undefined,
  acknowledged: boolean | undefined,
  field: string,
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
  if (revoke && acknowledged !== true)
    throw new RuleViolationError(
      'A17.3a',
      `paid on ${paidOn}, after the center's operating deadline ${deadline} (recognised ${facts.recognizedOn} + ` +
        `${facts.policy.operatingDeadlineYears} years, inclusive), ` +
        (started === null
          ? 'with no operation start recorded'
          : `with the operation start recorded on ${started}, after the deadline`) +
        `: unless a start made by the deadline is still declared, recognition is revoked from ${addDays(deadline, 1)} ` +
        `and support paid after that is to be recovered; send ${field}: true to record the payment anyway`,
      { field, operatingDeadline: deadline, operationStartedOn: started, disbursedOn: paidOn },
    );
  return { operatingDeadlineCheck: decision, deadlinePassedAcknowledged: revoke };
}
