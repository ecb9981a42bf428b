import { DeciderSpecification } from './decider-spec';
import { account, AccountClosedError } from './decider.fixture';

const given = DeciderSpecification.for(account).given;

describe('DeciderSpecification', () => {
  it('passes when the decision matches the expected events', () => {
    given([{ type: 'AccountOpened', schemaVersion: 1, payload: { centerId: 'c1' } }])
      .when({ kind: 'grant', amountFen: 500 })
      .then([{ type: 'GrantRecorded', schemaVersion: 1, payload: { amountFen: 500 } }]);
  });

  it('fails when the decision differs', () => {
    expect(() =>
      given([{ type: 'AccountOpened', schemaVersion: 1, payload: { centerId: 'c1' } }])
        .when({ kind: 'grant', amountFen: 500 })
        .then([]),
    ).toThrow();
  });

  it('accepts a single decided event as a list of one, and no events as an empty list', () => {
    given([])
      .when({ kind: 'open', centerId: 'c1' })
      .then([{ type: 'AccountOpened', schemaVersion: 1, payload: { centerId: 'c1' } }]);
    given([{ type: 'AccountOpened', schemaVersion: 1, payload: { centerId: 'c1' } }])
      .when({ kind: 'open', centerId: 'c1' })
      .then([]);
  });

  it('checks the error a decision throws, by class or predicate', () => {
    given([]).when({ kind: 'grant', amountFen: 1 }).thenThrows(AccountClosedError);
    given([])
      .when({ kind: 'grant', amountFen: 1 })
      .thenThrows((e) => (e as Error).message === 'account is not open');
    expect(() => given([]).when({ kind: 'grant', amountFen: 1 }).thenThrows(TypeError)).toThrow(
      'unexpected error',
    );
    expect(() => given([]).when({ kind: 'open', centerId: 'c' }).thenThrows()).toThrow(
      'expected the decision to throw',
    );
  });
});
