import { IllegalTransitionError } from '@nqpf/domain';
import { annual, CENTER, deadline, given, history, open, policy, policyOn } from './obligations.spec-helper';

describe('obligations after revocation (final)', () => {
  const revoked = history(open('2026-03-10'), {
    kind: 'end-obligations',
    centerId: CENTER,
    endedOn: '2027-05-01',
    ruleId: 'A16',
    reason: 'no-longer-eligible-after-major-change',
    policy,
    policyOn,
  });

  it('refuses a report with a message saying the center is revoked', () => {
    expect(() => given(revoked).when(annual(2026, '2027-06-01'))).toThrow(
      'cannot file annual report when center revoked on 2027-05-01 (A16)',
    );
  });

  it('refuses activities and operation starts', () => {
    expect(() =>
      given(revoked).when({
        kind: 'declare-operation-start',
        startedOn: '2027-05-02',
        today: '2027-05-02',
        policy,
      }),
    ).toThrow(IllegalTransitionError);
  });

  it('lets stored deadlines fire without effect', () => {
    expect(given(revoked).when(deadline('2026-Q2', '2026-07-16'))).toEqual([]);
  });

  it('keeps what was known for reads', () => {
    expect(given(revoked).state).toMatchObject({
      status: 'ended',
      recognizedOn: '2026-03-10',
      ended: { ruleId: 'A16' },
    });
  });
});
