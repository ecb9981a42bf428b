import { RuleViolationError } from '@nqpf/domain';
import { defaultPolicy } from '@nqpf/rules';
import { operatingDeadlineFacts } from './operating-deadlines';

const row = (policyVersion: string) => ({
  recognizedOn: '2026-03-10',
  operatingDeadline: '2028-03-10',
  policyVersion,
  operationStartedOn: null,
});

describe("the A17.3a facts a payment is checked against, from finance's policy book", () => {
  it('takes the policy the deadline was tracked under', () => {
    expect(operatingDeadlineFacts(row(defaultPolicy.version), { policies: [defaultPolicy] })).toEqual({
      recognizedOn: '2026-03-10',
      deadline: '2028-03-10',
      operationStartedOn: null,
      policy: defaultPolicy,
    });
  });

  it('refuses a version its book does not hold with a rule violation naming it (422), not a 500', () => {
    const run = () => operatingDeadlineFacts(row('2030-01'), { policies: [defaultPolicy] });
    expect(run).toThrow(RuleViolationError);
    expect(run).toThrow(/policy 2030-01/);
    try {
      run();
    } catch (err) {
      expect(err).toMatchObject({ status: 422, details: { policyVersion: '2030-01' } });
    }
  });
});
