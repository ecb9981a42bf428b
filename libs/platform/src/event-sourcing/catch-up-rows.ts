import type { LoggerService } from '@nestjs/common';
import { DomainEvent, UnknownEventTypeError } from '@nqpf/domain';
import type { AggregateRepository, SnapshottedDecider } from './aggregate.repository';

/** A stream its list row is behind, and its last event's time (the row keeps it: lists are ordered by it). */
export interface StaleStream {
  streamId: string;
  lastChangedAt: string;
}

export interface CatchUpRows<C, E extends DomainEvent, S> {
  repository: AggregateRepository;
  decider: SnapshottedDecider<C, E, S>;
  stale: readonly StaleStream[];
  /** Writes one stream's row from its state as loaded. */
  write: (state: S, version: number, lastChangedAt: string) => Promise<void>;
  logger: Pick<LoggerService, 'log' | 'error'>;
  /** What a row is, for the log: 'application', 'candidacy'. */
  row: string;
}

/**
 * On start, brings the list rows of `stale` streams up to their streams (rows are written with each append;
 * this repairs those appended before the table existed). A stream holding an event type, or a schema version
 * of a type, of a newer release (a rolling update, a rollback; UnknownEventTypeError and its subclass
 * UnknownSchemaVersionError) is left to a newer replica, logged as an error: refusing to start would
 * take every other row's object down with this one. Any other failure stops the start.
 */
export async function catchUpStreamRows<C, E extends DomainEvent, S>(
  catchUp: CatchUpRows<C, E, S>,
): Promise<void> {
  const { repository, decider, stale, write, logger, row } = catchUp;
  for (const { streamId, lastChangedAt } of stale) {
    let loaded;
    try {
      loaded = await repository.load(decider, streamId);
    } catch (err) {
      if (!(err instanceof UnknownEventTypeError)) throw err;
      logger.error(`${row} row not caught up: ${err.message}`);
      continue;
    }
    await write(loaded.state, loaded.version, lastChangedAt);
  }
  if (stale.length > 0) logger.log(`caught up ${stale.length} ${row} rows`);
}
