export { canonicalJson } from '@nqpf/contracts';
export { eventHash } from './hash';
export { ConcurrencyConflictError, EventStoreInputError } from './errors';
export type { ExpectedVersion } from './expected-version';
export type { AppendOptions, AppendResult } from './append-options';
export type { Queryable } from './queryable';
export { versionsToRead } from './versions-to-read';
export type { ReadStreamOptions } from './read-stream';
export type { ReadAllOptions } from './read-all';
export type { Snapshot } from './snapshots';
export { migrate } from './schema/migrate';
export { Upcasters, type Upcaster } from './upcasters';
export {
  verifyStreamChain,
  type VerifyReport,
  type BrokenLink,
  type ChainProblem,
  type KnownHead,
  type StreamSeals,
} from './verify-chain';
export { EventSealer, SealKeys, SealKeyError, sealKeyId, type EventSeal } from './seal';
export type { ResealedHeads, SealedHeads } from './seal-heads';
export { PostgresEventStore, type EventStoreOptions } from './postgres-event-store';
export {
  MisdirectedEventError,
  OutboxRelay,
  relayLeaseName,
  type OutboxRelayOptions,
} from './outbox/outbox-relay';
export { UnsealedEventError } from './outbox/relay-seal-check';
export * from './outbox/outbox-maintenance';
export * from './outbox/refill';
export {
  AggregateRepository,
  toDomainEvent,
  type SnapshotPolicy,
  type Loaded,
  type Handled,
  type HandleOptions,
} from './decider';
export { DeciderSpecification } from './decider-spec';
