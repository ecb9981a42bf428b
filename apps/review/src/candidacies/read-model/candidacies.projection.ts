import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { conflictsOfInterest } from '@nqpf/rules';
import { AggregateRepository, catchUpStreamRows, PG_POOL } from '@nqpf/platform';
import { candidacyAggregate } from '../candidacy.aggregate';
import { Candidacy, phaseOf } from '../../domain/candidacy/candidacy.state';
import { expertDecider } from '../../domain/expert/expert.decider';
import { conflictedExperts } from '../../experts/conflicted-experts';
import { candidacyStream, expertStream } from '../streams';
import {
  assignmentsOfExpert,
  markExpertConflicted,
  migrateCandidacyRows,
  staleCandidacyStreams,
  upsertCandidacyRow,
} from './candidacy-rows';

/**
 * Keeps review.candidacies in step with the streams: a row per candidacy written in the append's
 * transaction, conflicts declared after an assignment marked on the expert's assigned rows, and on start
 * a catch-up of streams appended before the table existed.
 */
@Injectable()
export class CandidaciesProjection implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('CandidaciesProjection');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repository: AggregateRepository,
  ) {}

  /** Before any command or consumer runs. */
  async onModuleInit(): Promise<void> {
    await migrateCandidacyRows(this.pool);
  }

  /** After the event store's own migration (an imported module's bootstrap runs first). */
  async onApplicationBootstrap(): Promise<void> {
    // A repaired row keeps its last change's time (the list's order), not the repair's.
    await catchUpStreamRows({
      repository: this.repository,
      decider: candidacyAggregate,
      stale: await staleCandidacyStreams(this.pool),
      write: async (state, version, lastChangedAt) => {
        if (state.status !== 'none') await this.write(this.pool, state, version, lastChangedAt);
      },
      logger: this.logger,
      row: 'candidacy',
    });
  }

  /** The row for a candidacy after an append, in the append's transaction. */
  async write(db: Pick<PoolClient, 'query'>, state: Candidacy, version: number, at: string): Promise<void> {
    await upsertCandidacyRow(db, state, version, await this.conflicted(state), at);
  }

  /** After an expert declares a conflict: their assignments involving that institution stop being theirs to see. */
  async expertDeclaredConflict(tx: PoolClient, expertId: string): Promise<void> {
    const { state } = await this.repository.load(expertDecider, expertStream(expertId));
    if (state.status !== 'registered') return;
    for (const { applicationId, parties } of await assignmentsOfExpert(tx, expertId)) {
      if (conflictsOfInterest(state.conflicts, parties).length === 0) continue;
      const { state: candidacy } = await this.repository.load(
        candidacyAggregate,
        candidacyStream(applicationId),
      );
      if (candidacy.status === 'none') continue;
      const conflicted = [...new Set([...(await this.conflicted(candidacy)), expertId])];
      await markExpertConflicted(tx, applicationId, expertId, phaseOf(candidacy, conflicted));
    }
  }

  private conflicted(state: Candidacy): Promise<string[]> {
    return conflictedExperts(this.repository, state, state.experts);
  }
}
