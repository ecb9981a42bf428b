import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import type { Actor } from '@nqpf/contracts';
import { assertCanActOrNotFound, CurrentActor, Roles } from '@nqpf/auth';
import { InvalidInputError, NotFoundError } from '@nqpf/domain';
import { PG_POOL } from '@nqpf/platform';
import { addDays, isLocalDate, startOfDayShanghai } from '@nqpf/rules';
import {
  centerDistrict,
  centerTrail,
  hasTrail,
  streamTrail,
  type TrailFilter,
  type TrailLine,
} from './audit.query';
import { strictQuery } from '../standing/request-params';
import { asShownToTheCenter, STREAM_TRAIL_TYPES } from './trail-entry';
import { ApiAnswers } from '../read-api/responses';

/** Who sees decisions exactly as recorded, objectors' names included. */
const FULL_VIEW: readonly string[] = ['city_bureau', 'auditor'];

/** RULES.md "Decisions": who did what to a center, when, why, and by which rules. */
@ApiTags('audit trail (read side)')
@Controller('audit')
export class AuditController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Decisions about no center, by type (required, comma-separated: `intake.call-opened`,
   * `intake.call-closed`, `review.expert-registered`, `review.expert-conflict-declared`,
   * `finance.policy-published`), narrowed by `from` / `to` as the center trail: who opened a call, who
   * declared which conflict, who published which policy and why. The bureau and auditors only (A9.1: an
   * expert's conflicts are not the applicants' to read).
   */
  @Get('events')
  @Roles('city_bureau', 'auditor')
  @ApiAnswers('StreamTrail', 'decisions about no center, by recorded time', [400, 401, 403])
  @ApiQuery({ name: 'types', required: true, description: STREAM_TRAIL_TYPES.join(', ') })
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'YYYY-MM-DD, recorded on or after (Asia/Shanghai)',
  })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD, recorded on or before (Asia/Shanghai)' })
  async events(@Query() query: Record<string, unknown>) {
    const filter = trailFilter(strictQuery(query, ['types', 'from', 'to']));
    const unknown = filter.types?.find((t) => !STREAM_TRAIL_TYPES.includes(t));
    if (!filter.types || unknown !== undefined)
      throw new InvalidInputError(
        'types',
        `required, among ${STREAM_TRAIL_TYPES.join(', ')}${unknown ? `; got "${unknown}"` : ''} (a center's events: GET /audit/centers/{centerId})`,
      );
    return { events: await streamTrail(this.pool, { ...filter, types: filter.types }) };
  }

  /**
   * 404 also when the center is outside the actor's scope: existence is not disclosed. Narrowed by `types`
   * (event types, comma-separated) and `from` / `to` (dates in Asia/Shanghai, inclusive, on the recorded
   * time): a long life's trail is mostly reporting activities.
   */
  @Get('centers/:centerId')
  @Roles('city_bureau', 'auditor', 'district_office', 'operator')
  @ApiAnswers('CenterTrail', 'the center’s audit trail', [400, 401, 403, 404])
  @ApiQuery({ name: 'types', required: false, description: 'event types, comma-separated' })
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'YYYY-MM-DD, recorded on or after (Asia/Shanghai)',
  })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD, recorded on or before (Asia/Shanghai)' })
  async trail(
    @CurrentActor() actor: Actor,
    @Param('centerId') centerId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<{ centerId: string; district: string | null; events: TrailLine[] }> {
    const filter = trailFilter(strictQuery(query, ['types', 'from', 'to']));
    const events = await centerTrail(this.pool, centerId, filter);
    // Read after the events, so the district shown (and the scope checked) is at least as recent as they are.
    const district = await centerDistrict(this.pool, centerId);
    const notFound = () => new NotFoundError('audit trail', centerId);
    if (events.length === 0 && !(await hasTrail(this.pool, centerId))) throw notFound();
    // Out of scope: the same 404 as a center without a trail, logged as a denial.
    assertCanActOrNotFound(
      actor,
      { id: centerId, centerId, district: district ?? undefined },
      'read',
      notFound,
    );
    return {
      centerId,
      district,
      events: FULL_VIEW.includes(actor.role) ? events : events.map(asShownToTheCenter),
    };
  }
}

const EVENT_TYPE = /^[a-z]+\.[a-z0-9-]{1,100}$/;

function trailFilter(q: { types?: string; from?: string; to?: string }): TrailFilter {
  const types = q.types ? q.types.split(',').filter((t) => t !== '') : undefined;
  const bad = types?.find((t) => !EVENT_TYPE.test(t));
  if (bad !== undefined)
    throw new InvalidInputError('types', `event types such as review.eligibility-decided, got "${bad}"`);
  const day = (value: string | undefined, field: string) => {
    if (value === undefined || value === '') return undefined;
    if (!isLocalDate(value)) throw new InvalidInputError(field, `a date YYYY-MM-DD, got "${value}"`);
    return value;
  };
  const from = day(q.from, 'from');
  const to = day(q.to, 'to');
  if (from && to && to < from) throw new InvalidInputError('to', `${to} is before from ${from}`);
  return {
    types: types && types.length > 0 ? types : undefined,
    recordedFrom: from && startOfDayShanghai(from),
    recordedBefore: to && startOfDayShanghai(addDays(to, 1)),
  };
}
