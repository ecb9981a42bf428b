import { deepStrictEqual } from 'node:assert';
import { foldEvents, type Decider, type DomainEvent } from '@nqpf/domain';

/**
 * Given/when/then for pure deciders, framework-free (node:assert), so it runs under any test runner:
 * `DeciderSpecification.for(decider).given([...events]).when(command).then([...expected])`.
 * Do not `await` the result of `when`: it has a `then` method by design.
 */
export const DeciderSpecification = {
  for<State, Command, Event extends DomainEvent>(decider: Decider<Command, Event, State>) {
    return {
      given(history: Event[]) {
        return {
          when(command: Command) {
            const run = () => {
              const state = foldEvents(decider, history);
              return decider.decide(command, state);
            };
            return {
              then(expected: Event[]): void {
                deepStrictEqual(run(), expected);
              },
              thenThrows(check?: ((error: unknown) => boolean) | (new (...args: never[]) => Error)): void {
                let thrown: unknown;
                try {
                  run();
                } catch (err) {
                  thrown = err;
                }
                if (thrown === undefined)
                  throw new Error('expected the decision to throw, but it returned events');
                if (!check) return;
                const passes =
                  check.prototype instanceof Error || check === Error
                    ? thrown instanceof (check as new () => Error)
                    : (check as (e: unknown) => boolean)(thrown);
                if (!passes) throw new Error(`the decision threw an unexpected error: ${String(thrown)}`);
              },
            };
          },
        };
      },
    };
  },
};
