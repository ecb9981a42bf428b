import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { AggregateRepository, catchUpStreamRows, PG_POOL } from '@nqpf/platform';
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
    // A repaired row keeps its last change's time: the list is ordered by it.
    await catchUpStreamRows({
      repository: this.repository,
      decider: applicationDecider,
      stale: await staleApplicationStreams(this.pool),
      write: async (state, version, lastChangedAt) => {
        if (state.status !== 'none') await upsertApplicationRow(this.pool, state, version, lastChangedAt);
      },
      logger: this.logger,
      row: 'application',
    });
  }
}
