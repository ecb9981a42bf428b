import type { Decider, DomainEvent } from '@nqpf/domain';

/** A tiny subsidy account used by the decider tests. Amounts in integer fen. */
export type AccountEvent =
  DomainEvent<'AccountOpened', { centerId: string }> | DomainEvent<'GrantRecorded', { amountFen: number }>;
export type AccountCommand = { kind: 'open'; centerId: string } | { kind: 'grant'; amountFen: number };
export interface AccountState {
  open: boolean;
  balanceFen: number;
}

export class AccountClosedError extends Error {}

export const account: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: () => ({ open: false, balanceFen: 0 }),
  eventTypes: { AccountOpened: true, GrantRecorded: true },
  evolve: (state, event) => {
    switch (event.type) {
      case 'AccountOpened':
        return { ...state, open: true };
      case 'GrantRecorded':
        return { ...state, balanceFen: state.balanceFen + event.payload.amountFen };
    }
  },
  decide: (command, state) => {
    switch (command.kind) {
      case 'open':
        return state.open
          ? []
          : [{ type: 'AccountOpened', schemaVersion: 1, payload: { centerId: command.centerId } }];
      case 'grant':
        if (!state.open) throw new AccountClosedError('account is not open');
        return [{ type: 'GrantRecorded', schemaVersion: 1, payload: { amountFen: command.amountFen } }];
    }
  },
};
