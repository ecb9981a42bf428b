import type { PoolClient } from 'pg';

/**
 * Until commit, serialises a conflict declaration with the candidacy commands that read the same experts'
 * conflicts (an assignment's A9.1 check, a list row's conflicted experts). They append to different streams
 * (expert-…, candidacy-…), so stream versions cannot order them: without this, an assignment decided on the
 * expert's old profile and a declaration that looked for their assignments before it committed both pass,
 * and the expert keeps seeing the application. Taken in id order, so two commands never wait on each other.
 */
export async function lockExperts(tx: Pick<PoolClient, 'query'>, expertIds: Iterable<string>): Promise<void> {
  for (const expertId of [...new Set(expertIds)].sort())
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`review.expert:${expertId}`]);
}
