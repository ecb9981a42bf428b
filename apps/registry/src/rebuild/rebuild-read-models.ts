import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { Projector, readModelChecksum, rebuildProjection, withRebuildLocks } from '@nqpf/projections';
import { READ_MODEL_NAMES, ReadModelName, readModels, replayGroupPrefixOf } from './read-models';

export interface ReadModelRebuild {
  readModel: ReadModelName;
  /** Checksum of the live model just before the swap; null when there was none yet. */
  liveChecksum: string | null;
  rebuiltChecksum: string;
  matches: boolean;
  swapped: boolean;
  records: number;
  applied: number;
  rejected: number;
}

export interface RebuildReadModelsOptions {
  kafka: Kafka;
  pool: Pool;
  topicPrefix: string;
  /** Build beside the live model, compare checksums, drop the build; the live model stays as it is. */
  verifyOnly?: boolean;
  only?: ReadModelName[];
}

async function liveChecksum(pool: Pool, projector: Projector): Promise<string | null> {
  const { rows } = await pool.query('select 1 from pg_namespace where nspname = $1', [projector.name]);
  return rows.length === 0 ? null : readModelChecksum(pool, projector, projector.name);
}

/**
 * Replays every topic from offset zero into a fresh schema per read model (libs/projections
 * rebuildProjection: advisory lock, swap in one transaction) and reports the live and rebuilt checksums.
 * With verifyOnly the live checksum is read after the replay (comparable once the live runner has caught
 * up) and the build is dropped; otherwise it is read just before the rebuild that swaps.
 */
export async function rebuildReadModels(options: RebuildReadModelsOptions): Promise<ReadModelRebuild[]> {
  const { kafka, pool } = options;
  const projectors = readModels(options.topicPrefix);
  const names = options.only ?? READ_MODEL_NAMES;
  return withRebuildLocks(
    pool,
    names.map((n) => projectors[n].name),
    async () => {
      const results: ReadModelRebuild[] = [];
      for (const name of names) {
        const projector = projectors[name];
        const swap = !options.verifyOnly;
        let live = swap ? await liveChecksum(pool, projector) : null;
        const built = await rebuildProjection({
          kafka,
          pool,
          projector,
          swap,
          replayGroupPrefix: replayGroupPrefixOf(options.topicPrefix),
          lockHeld: true,
        });
        if (!swap) {
          try {
            live = await liveChecksum(pool, projector);
          } finally {
            await pool.query(`drop schema if exists "${built.builtSchema}" cascade`);
          }
        }
        results.push({
          readModel: name,
          liveChecksum: live,
          rebuiltChecksum: built.checksum,
          matches: live === built.checksum,
          swapped: built.swapped,
          records: built.records,
          applied: built.applied,
          rejected: built.rejected,
        });
      }
      return results;
    },
  );
}
