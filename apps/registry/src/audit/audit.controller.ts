import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { SERVICE_EVENT_TYPES, type Actor } from '@nqpf/contracts';
import { assertCanActOrNotFound, CurrentActor, Roles } from '@nqpf/auth';
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
import { ApiAnswers } from '../read-api/responses';

/** Who sees decisions exactly as recorded, objectors' names included. */
const FULL_VIEW: readonly string[] = ['city_bureau', 'auditor'];

/** GET /audit/centers: lines per page, at most (each carries its payload and decisions whole). */
export const CENTERS_TRAIL_MAX_LIMIT = 500;
const CENTERS_TRAIL_LIMIT = { min: 1, max: CENTERS_TRAIL_MAX_LIMIT, default: 100 } satisfies IntRange;

/** `from` / `to` as every trail route documents them. */
const FROM = {
  name: 'from',
  required: false,
  description: 'YYYY-MM-DD, recorded on or after (Asia/Shanghai)',
  schema: DATE_SCHEMA,
};
const TO = {
  name: 'to',
  required: false,
  description: 'YYYY-MM-DD, recorded on or before (Asia/Shanghai)',
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
  @Roles('city_bureau', 'auditor')
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
  @Roles('city_bureau', 'auditor', 'district_office')
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
    const after = await this.cursorPosition(q.cursor);
    // The scope applies whatever `district` asks: another district's lines are never read for an office.
    const page = await centersTrail(this.pool, actor, { ...filter, types, district, after, limit });
    return {
      events: FULL_VIEW.includes(actor.role) ? page.lines : page.lines.map(asShownToTheCenter),
      nextCursor: page.next === null ? null : cursorAfter(page.next),
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

  /** The seq of the line a cursor follows; a cursor this route did not give is a 400. */
  private async cursorPosition(cursor: string | undefined): Promise<string | undefined> {
    if (cursor === undefined || cursor === '') return undefined;
    const seq = /^after:([1-9]\d{0,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[1];
    if (seq === undefined || cursorAfter(seq) !== cursor || !(await hasLine(this.pool, seq)))
      throw new InvalidInputError('cursor', 'not a position this route gave: pass nextCursor back as it is');
    return seq;
  }

  /**
   * 404 also when the center is outside the actor's scope: existence is not disclosed. Narrowed by `types`
   * (event types, comma-separated) and `from` / `to` (dates in Asia/Shanghai, inclusive, on the recorded
   * time): a long life's trail is mostly reporting activities.
   */
  @Get('centers/:centerId')
  @Roles('city_bureau', 'auditor', 'district_office', 'operator')
  @ApiAnswers('CenterTrail', 'the center’s audit trail', [400, 401, 403, 404])
  @ApiQuery({
    name: 'types',
    required: false,
    description: 'event types, comma-separated',
    schema: TEXT_SCHEMA,
  })
  @ApiQuery(FROM)
  @ApiQuery(TO)
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

/** A page's cursor: opaque to clients, the seq of the last line shown (audit.trail keeps its rows). */
function cursorAfter(seq: string): string {
  return Buffer.from(`after:${seq}`, 'utf8').toString('base64url');
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
