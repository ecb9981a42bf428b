import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { SERVICE_EVENT_TYPES, type Actor } from '@nqpf/contracts';
import { assertCanActOrNotFound, CurrentActor } from '@nqpf/auth';
import { InvalidInputError, NotFoundError } from '@nqpf/domain';
import { CONFIG, PG_POOL, readDistrictFilter } from '@nqpf/platform';
import { addDays, isLocalDate, startOfDayShanghai } from '@nqpf/rules';
import type { RegistryConfig } from '../config';
import {
  centerDistrict,
  centersTrail,
  centerTrail,
  hasLine,
  hasTrail,
  hasType,
  isTrailPosition,
  streamTrail,
  type CentersTrailLine,
  type TrailFilter,
  type TrailLine,
} from './audit.query';
import {
  DATE_SCHEMA,
  intSchema,
  optionalInt,
  strictQuery,
  TEXT_SCHEMA,
  type IntRange,
} from '../standing/request-params';
import { asShownToTheCenter, STREAM_TRAIL_TYPES } from './trail-entry';
import {
  centerCursor,
  centersCursor,
  filterKey,
  notAPosition,
  readCenterCursor,
  readCentersCursor,
} from './trail-cursor';
import { ApiAnswers } from '../read-api/responses';
import { CalledBy } from '../read-api/callers';

/** Who sees decisions exactly as recorded, objectors' names included. */
const FULL_VIEW: readonly string[] = ['city_bureau', 'auditor'];

/** GET /audit/centers: lines per page, at most (each carries its payload and decisions whole). */
export const CENTERS_TRAIL_MAX_LIMIT = 500;
const CENTERS_TRAIL_LIMIT = { min: 1, max: CENTERS_TRAIL_MAX_LIMIT, default: 100 } satisfies IntRange;
/**
 * GET /audit/centers/:centerId: lines per page as the city-wide route's, and a page as large as it may be
 * when `limit` is not given, so a trail of up to 500 lines still comes in one answer, as before it had pages.
 */
const CENTER_TRAIL_LIMIT = {
  min: 1,
  max: CENTERS_TRAIL_MAX_LIMIT,
  default: CENTERS_TRAIL_MAX_LIMIT,
} satisfies IntRange;

/** The years a trail's `from` / `to` may name, as the as-of routes' `at` (read-model-as-of.ts parseAsOfAt). */
const FIRST_DAY = '2000-01-01';
const LAST_DAY = '9998-12-31';

/** `from` / `to` as every trail route documents them. */
const FROM = {
  name: 'from',
  required: false,
  description: 'YYYY-MM-DD (years 2000 to 9998), recorded on or after (Asia/Shanghai)',
  schema: DATE_SCHEMA,
};
const TO = {
  name: 'to',
  required: false,
  description: 'YYYY-MM-DD (years 2000 to 9998), recorded on or before (Asia/Shanghai)',
  schema: DATE_SCHEMA,
};

/** The event types the services publish (their contracts), less those about no center. */
const CENTER_EVENT_TYPES: ReadonlySet<string> = new Set(
  Object.values(SERVICE_EVENT_TYPES)
    .flatMap((types) => Object.values(types))
    .filter((type) => !STREAM_TRAIL_TYPES.includes(type)),
);

/** RULES.md "Decisions": who did what to a center, when, why, and by which rules. */
@ApiTags('audit trail (read side)')
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: RegistryConfig,
  ) {}

  /**
   * Decisions about no center, by type (required, comma-separated: `intake.call-opened`,
   * `intake.call-closed`, `review.expert-registered`, `review.expert-conflict-declared`,
   * `finance.policy-published`), narrowed by `from` / `to` as the center trail: who opened a call, who
   * declared which conflict, who published which policy and why. The bureau and auditors only (A9.1: an
   * expert's conflicts are not the applicants' to read).
   */
  @Get('events')
  @CalledBy('city_bureau', 'auditor')
  @ApiAnswers('StreamTrail', 'decisions about no center, by recorded time', [400, 401, 403])
  @ApiQuery({
    name: 'types',
    required: true,
    description: `comma-separated, among ${STREAM_TRAIL_TYPES.join(', ')}`,
    schema: TEXT_SCHEMA,
  })
  @ApiQuery(FROM)
  @ApiQuery(TO)
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
   * Every center's lines of some types over a period, across the city — all recognitions of 2026, the
   * grants of a quarter — for the bureau and auditors, and for a district office within its own district
   * (with what the center's own trail withholds from it). `types` required (comma-separated, about centers),
   * `from` / `to` as the center trail, `district` (A3) narrows; by recorded time then the order received,
   * a page at a time: `limit` (1–500, default 100) and `cursor`, the previous page's `nextCursor`.
   */
  @Get('centers')
  @CalledBy('city_bureau', 'auditor', 'district_office')
  @ApiAnswers(
    'CentersTrail',
    'the centers’ lines of these types, by recorded time: one page',
    [400, 401, 403],
  )
  @ApiQuery({
    name: 'types',
    required: true,
    description: 'event types about centers, comma-separated',
    schema: TEXT_SCHEMA,
  })
  @ApiQuery(FROM)
  @ApiQuery(TO)
  @ApiQuery({
    name: 'district',
    required: false,
    description: 'district-level unit (A3) of the centers',
    schema: TEXT_SCHEMA,
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: 'lines per page',
    schema: intSchema(CENTERS_TRAIL_LIMIT),
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description: 'the previous page’s nextCursor, as it is',
    schema: TEXT_SCHEMA,
  })
  async centers(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<{ events: CentersTrailLine[]; nextCursor: string | null }> {
    const q = strictQuery(query, ['types', 'from', 'to', 'district', 'limit', 'cursor']);
    const filter = trailFilter(q);
    const limit = optionalInt(q.limit, 'limit', CENTERS_TRAIL_LIMIT) ?? CENTERS_TRAIL_LIMIT.default;
    const types = await this.centerTypes(filter.types);
    const district = await readDistrictFilter(
      this.pool,
      q.district,
      this.config.NQPF_DISTRICT_UNITS,
      'audit.center_districts',
    );
    const key = filterKey({ ...filter, types, district });
    const after = readCentersCursor(q.cursor, key);
    if (after !== undefined && !(await hasLine(this.pool, after))) throw notAPosition();
    // The scope applies whatever `district` asks: another district's lines are never read for an office.
    const page = await centersTrail(this.pool, actor, { ...filter, types, district, after, limit });
    return {
      events: FULL_VIEW.includes(actor.role) ? page.lines : page.lines.map(asShownToTheCenter),
      nextCursor: page.next === null ? null : centersCursor(page.next, key),
    };
  }

  /**
   * Types of events about centers, each one the services publish or one the trail holds (a newer
   * producer's): a misspelt type would answer an empty page that reads as "none in the period".
   */
  private async centerTypes(types: string[] | undefined): Promise<string[]> {
    if (!types)
      throw new InvalidInputError(
        'types',
        'required: event types about centers, comma-separated, e.g. review.center-recognized (decisions about no center: GET /audit/events)',
      );
    for (const type of types) {
      if (STREAM_TRAIL_TYPES.includes(type))
        throw new InvalidInputError('types', `"${type}" is about no center: GET /audit/events`);
      if (!CENTER_EVENT_TYPES.has(type) && !(await hasType(this.pool, type)))
        throw new InvalidInputError('types', `"${type}" is no event type the services publish`);
    }
    return types;
  }

  /**
   * 404 also when the center is outside the actor's scope: existence is not disclosed. Narrowed by `types`
   * (event types, comma-separated) and `from` / `to` (dates in Asia/Shanghai, inclusive, on the recorded
   * time): a long life's trail is mostly reporting activities. A page at a time, in the trail's order (each
   * topic in the order received, topics merged by recorded time): `limit` (1–500, default 500) and `cursor`,
   * the previous page's `nextCursor`.
   */
  @Get('centers/:centerId')
  @CalledBy('city_bureau', 'auditor', 'district_office', 'operator')
  @ApiAnswers('CenterTrail', 'the center’s audit trail: one page', [400, 401, 403, 404])
  @ApiQuery({
    name: 'types',
    required: false,
    description: 'event types, comma-separated',
    schema: TEXT_SCHEMA,
  })
  @ApiQuery(FROM)
  @ApiQuery(TO)
  @ApiQuery({
    name: 'limit',
    required: false,
    description: 'lines per page',
    schema: intSchema(CENTER_TRAIL_LIMIT),
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description: 'the previous page’s nextCursor, as it is',
    schema: TEXT_SCHEMA,
  })
  async trail(
    @CurrentActor() actor: Actor,
    @Param('centerId') centerId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<{ centerId: string; district: string | null; events: TrailLine[]; nextCursor: string | null }> {
    const q = strictQuery(query, ['types', 'from', 'to', 'limit', 'cursor']);
    const filter = trailFilter(q);
    const limit = optionalInt(q.limit, 'limit', CENTER_TRAIL_LIMIT) ?? CENTER_TRAIL_LIMIT.default;
    const key = filterKey(filter);
    const after = readCenterCursor(q.cursor, key);
    const page = await centerTrail(this.pool, centerId, { ...filter, after, limit });
    // Read after the events, so the district shown (and the scope checked) is at least as recent as they are.
    const district = await centerDistrict(this.pool, centerId);
    const notFound = () => new NotFoundError('audit trail', centerId);
    if (page.lines.length === 0 && !(await hasTrail(this.pool, centerId))) throw notFound();
    // Out of scope: the same 404 as a center without a trail, logged as a denial.
    assertCanActOrNotFound(
      actor,
      { id: centerId, centerId, district: district ?? undefined },
      'read',
      notFound,
    );
    // Checked once the center is known to be in scope: a cursor must not tell whether another's lines exist.
    if (after !== undefined && !(await isTrailPosition(this.pool, centerId, after))) throw notAPosition();
    return {
      centerId,
      district,
      events: FULL_VIEW.includes(actor.role) ? page.lines : page.lines.map(asShownToTheCenter),
      nextCursor: page.next === null ? null : centerCursor(page.next, key),
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
    // Outside them no line exists, and PostgreSQL refuses the day after 9999-12-31 or before year 1.
    if (value < FIRST_DAY || value > LAST_DAY)
      throw new InvalidInputError(field, `must lie in the years 2000 to 9998, got "${value}"`);
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
