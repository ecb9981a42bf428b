import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { scopeFilter, scopeToSql } from '@nqpf/auth';
import type { Actor } from '@nqpf/contracts';
import type { AggregateRepository } from '@nqpf/platform';
import { heldGrantRevision, heldRevisions, HeldRevisionRow } from '../consumers/held-revisions';
import { subsidyAccountDecider } from '../domain/subsidy-account/subsidy-account.decider';
import { subsidyAccountStream } from '../domain/subsidy-account/subsidy-account.events';
import { accountView } from './account.view';

const logger = new Logger('HeldRevisionsList');

/**
 * GET /accounts/held-revisions: one page of the grade corrections finance holds within the actor's scope
 * (a district office: its district's, in the WHERE, so the page and its total count only those), oldest
 * first. Each with the year's figures exactly as GET /accounts/:centerId shows them (accountView), read in
 * one snapshot with the holds, so a correction applied meanwhile is either listed with the figures before
 * it or not at all. Holds without a district (held by the previous release's replicas during a rolling
 * update) are given their account's first, before the snapshot, so the WHERE finds them.
 */
export async function listHeldRevisions(
  pool: Pool,
  repository: AggregateRepository,
  actor: Actor,
  page: { limit: number; offset: number },
) {
  const scope = scopeToSql(scopeFilter(actor), { district: 'district', centerId: 'center_id' });
  const client = await pool.connect();
  try {
    await heldRevisions.fillDistricts(
      client,
      async (centerId) => {
        const { state } = await repository.load(
          subsidyAccountDecider,
          subsidyAccountStream(centerId),
          client,
        );
        return state.status === 'none' ? null : state.district;
      },
      (centerId, err) =>
        logger.error(`held grade correction of center ${centerId} left without a district: ${err.message}`),
    );
    await client.query('begin isolation level repeatable read');
    const { total, items } = await heldRevisions.page(client, scope, page);
    const shown = [];
    // One account at a time: a page of 200 does not take the pool's connections from other requests.
    for (const held of items) {
      const { state, version } = await repository.load(
        subsidyAccountDecider,
        subsidyAccountStream(held.centerId),
        client,
      );
      shown.push(
        itemOf(
          held,
          state.status === 'none' ? undefined : accountView(state, version, [heldGrantRevision(held)]),
        ),
      );
    }
    await client.query('commit');
    return { total, ...page, items: shown };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function itemOf(held: HeldRevisionRow, view: ReturnType<typeof accountView> | undefined) {
  const revision = heldGrantRevision(held);
  const year = view?.years.find((y) => y.supportYear === held.supportYear);
  return {
    centerId: held.centerId,
    district: held.district ?? view?.district ?? null,
    supportYear: held.supportYear,
    assessedYear: revision.assessedYear,
    previousGrade: revision.previousGrade,
    grade: revision.grade,
    revisedOn: revision.revisedOn,
    reason: revision.reason,
    grantFen: revision.grantFen,
    // A hold is kept only for an open account's year, so these are null in no expected case.
    disbursedFen: year?.disbursedFen ?? null,
    toCorrectFen: year?.heldRevision?.toCorrectFen ?? null,
    heldSince: held.heldAt.toISOString(),
  };
}
