import type { EventEnvelope } from '@nqpf/contracts';
import { EventStoreInputError } from './errors';

/** Turns the payload of `type` at `fromVersion` into its shape at `fromVersion + 1`. Pure. */
export interface Upcaster<From = unknown, To = unknown> {
  type: string;
  fromVersion: number;
  upcast(payload: From, event: EventEnvelope<From>): To;
}

/**
 * Upcasters applied on read, chained until no further step is registered. Stored rows never change;
 * the envelope's hash stays the stored one (verify always reads raw rows).
 */
export class Upcasters {
  private readonly steps = new Map<string, Upcaster>();

  register<From, To>(upcaster: Upcaster<From, To>): this {
    if (!Number.isSafeInteger(upcaster.fromVersion) || upcaster.fromVersion < 1) {
      throw new EventStoreInputError('fromVersion', 'must be a whole number ≥ 1');
    }
    const key = keyOf(upcaster.type, upcaster.fromVersion);
    if (this.steps.has(key)) throw new EventStoreInputError(key, 'an upcaster is already registered');
    this.steps.set(key, upcaster as Upcaster);
    return this;
  }

  apply(event: EventEnvelope): EventEnvelope {
    let current = event;
    for (let step = this.steps.get(keyOf(current.type, current.schemaVersion)); step;) {
      current = {
        ...current,
        schemaVersion: current.schemaVersion + 1,
        payload: step.upcast(current.payload, current),
      };
      step = this.steps.get(keyOf(current.type, current.schemaVersion));
    }
    return current;
  }
}

function keyOf(type: string, version: number): string {
  return `${type}@v${version}`;
}
