import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { readModelChecksum } from './checksum';
import { assertProjectionName, ident, Projector } from './projector';
import { nextSchemaName, replayIntoSchema, ReplaySummary } from './replay-into-schema';

export interface RebuildOptions {
  kafka: Kafka;
  pool: Pool;
  projector: Projector;
  /** Start of the replay's throwaway consumer group id, inside the caller's group namespace. */
  replayGroupPrefix: string;
  /** Swap the rebuilt schema in as the live one; default true. False leaves it beside the live model. */
  swap?: boolean;
  /** Partitions replayed in parallel; default 4. Keep it at or below the pool's size. */
  concurrency?: number;
  /** The caller holds the projection's rebuild lock (withRebuildLocks), e.g. with others'. */
  lockHeld?: boolean;
}

export interface RebuildResult extends ReplaySummary {
  /** Where the rebuilt model was written (renamed to the projector's name if swapped). */
  builtSchema: string;
  /** Checksum of the rebuilt model before the swap. */
  checksum: string;
  swapped: boolean;
}

export class RebuildInProgressError extends Error {
  constructor(name: string) {
    super(`projection ${name}: a rebuild is already running`);
  }
}

/**
 * Runs `work` holding the rebuild locks (session advisory locks) of every named projection, or none:
 * RebuildInProgressError naming the first taken elsewhere, before anything was done. A rebuild of several
 * models that found one busy half-way would have swapped the others already.
 */
export async function withRebuildLocks<T>(
  pool: Pool,
  names: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  const session = await pool.connect();
  const held: string[] = [];
  try {
    for (const name of names) {
      const key = `nqpf.projection.rebuild:${name}`;
      const { rows } = await session.query('select pg_try_advisory_lock(hashtext($1)) as locked', [key]);
      if (!rows[0].locked) throw new RebuildInProgressError(name);
      held.push(key);
    }
    return await work();
  } finally {
    let broken: Error | undefined;
    try {
      for (const key of held) await session.query('select pg_advisory_unlock(hashtext($1))', [key]);
    } catch (err) {
      // A session that cannot unlock is dropped, which releases its locks anyway.
      broken = err as Error;
    }
    session.release(broken);
  }
}

/**
 * Replays every topic from offset zero into a fresh schema `<name>_rebuild_<n>`, then, in one
 * transaction, renames the live schema away and the rebuilt one into its place, so readers see the old
 * model or the new one, never half of one. The live runner keeps running: after the swap it finds the
 * rebuilt checkpoints behind where it is and seeks back to replay the tail (ProjectionRunner).
 * A session advisory lock keeps two rebuilds of one projection apart.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { pool, projector } = options;
  assertProjectionName(projector.name);
  if (!options.lockHeld)
    return withRebuildLocks(pool, [projector.name], () => rebuildProjection({ ...options, lockHeld: true }));
  await dropLeftovers(pool, projector.name);
  const builtSchema = await nextSchemaName(pool, projector.name, 'rebuild');
  let summary: ReplaySummary;
  try {
    summary = await replayIntoSchema({ ...options, schema: builtSchema });
  } catch (err) {
    await pool.query(`drop schema if exists ${ident(builtSchema)} cascade`);
    throw err;
  }
  const checksum = await readModelChecksum(pool, projector, builtSchema);
  const swapped = options.swap ?? true;
  if (swapped) await swapIn(pool, projector.name, builtSchema);
  return { ...summary, builtSchema, checksum, swapped };
}

/**
 * Builds and retired models a crashed rebuild left behind. Only under the rebuild lock: then no other
 * rebuild of the projection is running, so every such schema is a leftover.
 */
async function dropLeftovers(pool: Pool, name: string): Promise<void> {
  // The name is a checked identifier ([a-z0-9_]), so it can stand in the pattern as it is.
  const { rows } = await pool.query<{ nspname: string }>(
    'select nspname from pg_namespace where nspname ~ $1',
    [`^${name}_(rebuild|retired)_[0-9]+$`],
  );
  for (const { nspname } of rows) await pool.query(`drop schema if exists ${ident(nspname)} cascade`);
}

async function swapIn(pool: Pool, live: string, built: string): Promise<void> {
  const retired = await nextSchemaName(pool, live, 'retired');
  const tx = await pool.connect();
  try {
    await tx.query('begin');
    const { rows } = await tx.query('select 1 from pg_namespace where nspname = $1', [live]);
    if (rows.length > 0) {
      // Waits for the live runner's in-flight transaction; its next one resolves the new schema by name.
      await tx.query(`lock table ${ident(live)}._checkpoints in access exclusive mode`);
      await tx.query(`alter schema ${ident(live)} rename to ${ident(retired)}`);
    }
    await tx.query(`alter schema ${ident(built)} rename to ${ident(live)}`);
    await tx.query('commit');
  } catch (err) {
    await tx.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    tx.release();
  }
  await pool.query(`drop schema if exists ${ident(retired)} cascade`);
}
