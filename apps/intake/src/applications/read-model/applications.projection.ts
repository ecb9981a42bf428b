import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { UnknownEventTypeError } from '@nqpf/domain';
import { AggregateRepository, PG_POOL } from '@nqpf/platform';
import { applicationDecider } from '../../domain/application/application.decider';
import { migrateApplicationRows, staleApplicationStreams, upsertApplicationRow } from './application-rows';

/**
 * Creates intake.applications (on init) and brings it up to the event store on start: rows are written with each
 * append, so this only repairs streams appended before the table existed.
 */
@Injectable()
export class ApplicationsProjection implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ApplicationsProjection');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repository: AggregateRepository,
  ) {}

  /** Before any command or consumer runs. */
  async onModuleInit(): Promise<void> {
    await migrateApplicationRows(this.pool);
  }

  /** After the event store's own migration (an imported module's bootstrap runs first). */
  async onApplicationBootstrap(): Promise<void> {
    const stale = await staleApplicationStreams(this.pool);
    // A repaired row keeps its last change's time: the list is ordered by it.
    for (const { streamId, lastChangedAt } of stale) {
      let loaded;
      try {
        loaded = await this.repository.load(applicationDecider, streamId);
      } catch (err) {
        // A newer release's event in the stream (a rolling update, a rollback): a newer replica writes this
        // row; refusing to start would take every other application down with this one.
        if (!(err instanceof UnknownEventTypeError)) throw err;
        this.logger.error(`application row not caught up: ${err.message}`);
        continue;
      }
      const { state, version } = loaded;
      if (state.status !== 'none') await upsertApplicationRow(this.pool, state, version, lastChangedAt);
    }
    if (stale.length > 0) this.logger.log(`caught up ${stale.length} application rows`);
  }
}
