import { applyDecorators, Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiQuery, ApiTags, type ApiQueryOptions } from '@nestjs/swagger';
import type { Response } from 'express';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { Actor, SERVICES, serviceTopic } from '@nqpf/contracts';
import { assertCanActOrNotFound, CurrentActor } from '@nqpf/auth';
import { NotFoundError } from '@nqpf/domain';
import { Clock, CONFIG, KAFKA, PG_POOL, readDistrictFilter } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { shanghaiDateOf } from '@nqpf/rules';
import { ExportGate, sendCsvExport } from './csv-export';
import { STANDING_CSV_COLUMNS } from './standing.export';
import {
  intSchema,
  optionalInt,
  optionalOneOf,
  optionalSort,
  PAGE_LIMIT,
  PAGE_OFFSET,
  pageParams,
  sortValues,
  strictQuery,
  TEXT_SCHEMA,
  YEARS,
} from './request-params';
import {
  findStanding,
  listStanding,
  standingExport,
  STANDING_SORTS,
  StandingFilter,
  StandingSortKey,
} from './standing.query';
import { AS_OF_AT, AS_OF_END_OFFSETS, EndOffsets, readModelAsOf } from '../rebuild/read-model-as-of';
import { replayGroupPrefixOf } from '../rebuild/read-models';
import { ReplayGate } from '../rebuild/replay-gate';
import { standingReducer } from './standing.projector';
import { AWAITING, STANDING_PHASES, STANDING_STATUSES, type StandingRow } from './standing.row';
import { StandingView, standingAsShownTo, toStandingView } from './standing.view';
import { groupBySchema, readGroupBy } from './group-by';
import { STANDING_GROUP_KEYS, StandingSummary, summarizeStanding } from './standing.summary';
import { ApiAnswers, ApiCsvAnswers } from '../read-api/responses';
import { CalledBy } from '../read-api/callers';

const READERS = ['city_bureau', 'district_office', 'operator', 'finance_officer', 'auditor'] as const;
const GRADES = ['优秀', '良好', '合格', '不合格'] as const;
const SORT_KEYS = Object.keys(STANDING_SORTS) as StandingSortKey[];
const SORTS = sortValues(SORT_KEYS);
const FILTERS = ['district', 'phase', 'status', 'grade', 'year', 'unassessed', 'awaiting', 'sort'] as const;
/** The summary takes the list's filters; `sort` orders rows, which it has none of. */
const SUMMARY_FILTERS = FILTERS.filter((name) => name !== 'sort');
type StandingQuery = Partial<Record<(typeof FILTERS)[number] | 'limit' | 'offset' | 'groupBy', string>>;

/** Each filter as the read API documents it, on the list and on its export alike. */
const FILTER_QUERIES: Record<(typeof FILTERS)[number], ApiQueryOptions> = {
  district: {
    name: 'district',
    required: false,
    description: 'district-level unit (A3), configured or of a center',
    schema: TEXT_SCHEMA,
  },
  phase: { name: 'phase', required: false, enum: STANDING_PHASES },
  status: { name: 'status', required: false, enum: STANDING_STATUSES },
  grade: { name: 'grade', required: false, enum: GRADES, description: 'latest grade, or of `year`' },
  year: { name: 'year', required: false, description: 'assessment year', schema: intSchema(YEARS) },
  unassessed: {
    name: 'unassessed',
    required: false,
    description: 'A17.1: centers recognised by the end of that year, not revoked, without its grade yet',
    schema: intSchema(YEARS),
  },
  awaiting: { name: 'awaiting', required: false, enum: AWAITING, description: 'who must act next, on what' },
  sort: { name: 'sort', required: false, enum: SORTS },
};
const ApiFilters = (names: readonly (typeof FILTERS)[number][] = FILTERS) =>
  applyDecorators(...names.map((name) => ApiQuery(FILTER_QUERIES[name])));

function readFilter(q: StandingQuery): StandingFilter {
  return {
    phase: optionalOneOf(q.phase, 'phase', STANDING_PHASES),
    status: optionalOneOf(q.status, 'status', STANDING_STATUSES),
    grade: optionalOneOf(q.grade, 'grade', GRADES),
    year: optionalInt(q.year, 'year', YEARS),
    unassessed: optionalInt(q.unassessed, 'unassessed', YEARS),
    awaiting: optionalOneOf(q.awaiting, 'awaiting', AWAITING),
  };
}

/** RULES.md "Standing of a center": each actor sees the centers in its scope (libs/auth scopeFilter). */
@ApiTags('standing (read side)')
@Controller()
export class StandingController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(CONFIG) private readonly config: RegistryConfig,
    private readonly replayGate: ReplayGate,
    private readonly exportGate: ExportGate,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return shanghaiDateOf(this.clock.now().toISOString(), 'now');
  }

  private async filterOf(q: StandingQuery): Promise<StandingFilter> {
    const filter = readFilter(q);
    const units = this.config.NQPF_DISTRICT_UNITS;
    return {
      ...filter,
      district: await readDistrictFilter(this.pool, q.district, units, 'standing.standing'),
    };
  }

  @Get('standing')
  @CalledBy(...READERS)
  @ApiAnswers('StandingPage', 'a page of the standings in your scope', [400, 401, 403])
  @ApiQuery({ name: 'limit', required: false, schema: intSchema(PAGE_LIMIT) })
  @ApiQuery({ name: 'offset', required: false, schema: intSchema(PAGE_OFFSET) })
  @ApiFilters()
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<{ total: number; limit: number; offset: number; items: StandingView[] }> {
    const q: StandingQuery = strictQuery(query, [...FILTERS, 'limit', 'offset']);
    const { limit, offset } = pageParams(q);
    const page = await listStanding(this.pool, actor, await this.filterOf(q), {
      sort: optionalSort(q.sort, SORT_KEYS),
      limit,
      offset,
    });
    const today = this.today();
    return {
      total: page.total,
      limit,
      offset,
      items: page.rows.map((r) => standingAsShownTo(actor, toStandingView(r, today))),
    };
  }

  @Get('standing.csv')
  @CalledBy(...READERS)
  @ApiCsvAnswers('the standings in your scope, every matching row', [400, 401, 403, 429])
  @ApiFilters()
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const q: StandingQuery = strictQuery(query, FILTERS);
    const sort = optionalSort(q.sort, SORT_KEYS);
    const { count, rows } = standingExport(actor, await this.filterOf(q), sort);
    const today = this.today();
    await this.exportGate.run(actor, () =>
      sendCsvExport(this.pool, res, {
        filename: 'standing.csv',
        columns: STANDING_CSV_COLUMNS,
        count,
        rows,
        toRow: (selected: { row: StandingRow }) =>
          standingAsShownTo(actor, toStandingView(selected.row, today)),
      }),
    );
  }

  /**
   * The figures of the bureau's and the district offices' reports: the centers GET /standing lists with the
   * same filters, in the same scope, counted per district, phase, status or latest grade (one or two of them).
   * Declared before `standing/:centerId` so that route does not take "summary" for a center id.
   */
  @Get('standing/summary')
  @CalledBy(...READERS)
  @ApiAnswers('StandingSummary', 'the standings in your scope, counted per group', [400, 401, 403])
  @ApiFilters(SUMMARY_FILTERS)
  @ApiQuery({
    name: 'groupBy',
    required: false,
    description: `one or two of ${STANDING_GROUP_KEYS.join(', ')}, comma-separated (default district); groups ordered by the first, then the second, as the list sorts by each (phase by lifecycle, grade by rank), nulls last`,
    schema: groupBySchema(STANDING_GROUP_KEYS, 'district'),
  })
  async summary(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<StandingSummary> {
    const q: StandingQuery = strictQuery(query, ['groupBy', ...SUMMARY_FILTERS]);
    const groupBy = readGroupBy(q.groupBy, STANDING_GROUP_KEYS, 'district');
    return summarizeStanding(this.pool, actor, await this.filterOf(q), groupBy);
  }

  /**
   * The standing as recorded at `at` (an instant, or a date's end in Asia/Shanghai), or at a Kafka
   * position `endOffsets`: replayed from the topics into memory, live tables untouched. Days left and
   * support state are reckoned as of `date`: `at`'s date in Asia/Shanghai, or today for a position (which
   * names no date). Declared before `standing/:centerId` so that route does not take "as-of" for a center id.
   */
  @Get('standing/as-of')
  @CalledBy(...READERS)
  @ApiAnswers('StandingAsOf', 'the standings in your scope as recorded then', [400, 401, 403, 429])
  @ApiQuery({ name: 'at', required: false, description: AS_OF_AT, schema: TEXT_SCHEMA })
  @ApiQuery({ name: 'endOffsets', required: false, description: AS_OF_END_OFFSETS, schema: TEXT_SCHEMA })
  @ApiQuery({ name: 'centerId', required: false, description: 'only this center', schema: TEXT_SCHEMA })
  async asOf(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<({ at: string } | { endOffsets: EndOffsets }) & { date: string; items: StandingView[] }> {
    const { at, endOffsets, centerId } = strictQuery(query, ['at', 'endOffsets', 'centerId']);
    const topics = SERVICES.map((s) => serviceTopic(s, this.config.KAFKA_TOPIC_PREFIX));
    const { point, documents: rows } = await readModelAsOf({
      gate: this.replayGate,
      kafka: this.kafka,
      topics,
      knownTopics: topics,
      replayGroupPrefix: replayGroupPrefixOf(this.config.KAFKA_TOPIC_PREFIX),
      reducer: standingReducer,
      at,
      endOffsets,
      actor,
      centerId: centerId || undefined,
    });
    const date = 'at' in point ? shanghaiDateOf(point.at.toISOString(), 'at') : this.today();
    const items = rows.map((r) => standingAsShownTo(actor, toStandingView(r, date)));
    return 'at' in point
      ? { at: point.at.toISOString(), date, items }
      : { endOffsets: point.endOffsets, date, items };
  }

  /** 404 also when the center is outside the actor's scope: existence is not disclosed. */
  @Get('standing/:centerId')
  @CalledBy(...READERS)
  @ApiAnswers('StandingView', 'one center’s standing', [400, 401, 403, 404])
  async one(
    @CurrentActor() actor: Actor,
    @Param('centerId') centerId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<StandingView> {
    strictQuery(query, []);
    const notFound = () => new NotFoundError('standing', centerId);
    const found = await findStanding(this.pool, centerId);
    if (!found) throw notFound();
    const target = { id: centerId, centerId, district: found.district ?? undefined };
    assertCanActOrNotFound(actor, target, 'read', notFound);
    return standingAsShownTo(actor, toStandingView(found.row, this.today()));
  }
}
