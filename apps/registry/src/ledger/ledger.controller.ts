import { applyDecorators, Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiQuery, ApiTags, type ApiQueryOptions } from '@nestjs/swagger';
import type { Response } from 'express';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { SERVICES, serviceTopic, type Actor } from '@nqpf/contracts';
import { assertCanActOrNotFound, CurrentActor } from '@nqpf/auth';
import { NotFoundError } from '@nqpf/domain';
import { CONFIG, KAFKA, PG_POOL, readDistrictFilter } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { AS_OF_AT, AS_OF_END_OFFSETS, EndOffsets, readModelAsOf } from '../rebuild/read-model-as-of';
import { replayGroupPrefixOf } from '../rebuild/read-models';
import { ReplayGate } from '../rebuild/replay-gate';
import { ExportGate, sendCsvExport } from '../standing/csv-export';
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
  SUPPORT_YEARS,
  TEXT_SCHEMA,
  YEARS,
} from '../standing/request-params';
import { ENTRY_CSV_COLUMNS, LEDGER_CSV_COLUMNS } from './ledger.export';
import {
  findLedger,
  LEDGER_SORTS,
  ledgerEntriesExport,
  ledgerEntryExportRow,
  LedgerSortKey,
  LedgerYearFilter,
  ledgerYearExportRow,
  LedgerYearRow,
  ledgerYearsExport,
  listLedgerYears,
} from './ledger.query';
import { encodeLedger } from './ledger.codec';
import { ledgerReducer } from './ledger.projector';
import { LedgerView, toLedgerView } from './ledger.view';
import { ApiAnswers, ApiCsvAnswers } from '../read-api/responses';
import { CalledBy } from '../read-api/callers';
import { groupBySchema, readGroupBy } from '../standing/group-by';
import { LEDGER_GROUP_KEYS, LedgerSummary, summarizeLedger } from './ledger.summary';

const READERS = ['city_bureau', 'district_office', 'operator', 'finance_officer', 'auditor'] as const;
const SORT_KEYS = Object.keys(LEDGER_SORTS) as LedgerSortKey[];
const SORTS = sortValues(SORT_KEYS);
const FILTERS = ['district', 'year', 'supportYear', 'undisbursed', 'sort'] as const;
/** Entries come in the order finance recorded them: the support-year sorts do not apply. */
const ENTRY_FILTERS = ['district', 'year', 'supportYear'] as const;
/** The summary takes the list's filters; `sort` orders rows, which it has none of. */
const SUMMARY_FILTERS = FILTERS.filter((name) => name !== 'sort');
type LedgerQuery = Partial<Record<(typeof FILTERS)[number] | 'limit' | 'offset' | 'groupBy', string>>;

/** Each filter as the read API documents it, on the list and on the exports alike. */
const FILTER_QUERIES: Record<(typeof FILTERS)[number], ApiQueryOptions> = {
  district: {
    name: 'district',
    required: false,
    description: 'district-level unit (A3), configured or of a center',
    schema: TEXT_SCHEMA,
  },
  year: {
    name: 'year',
    required: false,
    description: 'calendar year of the support year',
    schema: intSchema(YEARS),
  },
  supportYear: {
    name: 'supportYear',
    required: false,
    description: '1, 2, 3…',
    schema: intSchema(SUPPORT_YEARS),
  },
  undisbursed: {
    name: 'undisbursed',
    required: false,
    enum: ['true', 'false'],
    description:
      'true: the years with something left to pay (undisbursed = granted − cancelled − disbursed > 0, A12); false: the others',
  },
  sort: { name: 'sort', required: false, enum: SORTS },
};
const ApiFilters = (names: readonly (typeof FILTERS)[number][]) =>
  applyDecorators(...names.map((name) => ApiQuery(FILTER_QUERIES[name])));

function readFilter(q: LedgerQuery): LedgerYearFilter {
  const undisbursed = optionalOneOf(q.undisbursed, 'undisbursed', ['true', 'false']);
  return {
    year: optionalInt(q.year, 'year', YEARS),
    supportYear: optionalInt(q.supportYear, 'supportYear', SUPPORT_YEARS),
    undisbursed: undisbursed === undefined ? undefined : undisbursed === 'true',
  };
}

/** A12–A13 subsidy ledger per center and support year; amounts are integer fen as strings. */
@ApiTags('ledger (read side)')
@Controller()
export class LedgerController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(CONFIG) private readonly config: RegistryConfig,
    private readonly replayGate: ReplayGate,
    private readonly exportGate: ExportGate,
  ) {}

  private async filterOf(q: LedgerQuery): Promise<LedgerYearFilter> {
    const filter = readFilter(q);
    const units = this.config.NQPF_DISTRICT_UNITS;
    return {
      ...filter,
      district: await readDistrictFilter(this.pool, q.district, units, 'ledger.ledger_years'),
    };
  }

  @Get('ledger')
  @CalledBy(...READERS)
  @ApiAnswers('LedgerPage', 'a page of support-year rows in your scope', [400, 401, 403])
  @ApiQuery({ name: 'limit', required: false, schema: intSchema(PAGE_LIMIT) })
  @ApiQuery({ name: 'offset', required: false, schema: intSchema(PAGE_OFFSET) })
  @ApiFilters(FILTERS)
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<{ total: number; limit: number; offset: number; items: LedgerYearRow[] }> {
    const q: LedgerQuery = strictQuery(query, [...FILTERS, 'limit', 'offset']);
    const { limit, offset } = pageParams(q);
    const page = await listLedgerYears(this.pool, actor, await this.filterOf(q), {
      sort: optionalSort(q.sort, SORT_KEYS),
      limit,
      offset,
    });
    return { total: page.total, limit, offset, items: page.rows };
  }

  @Get('ledger.csv')
  @CalledBy(...READERS)
  @ApiCsvAnswers('the support-year rows in your scope; amounts in integer fen', [400, 401, 403, 429])
  @ApiFilters(FILTERS)
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const q: LedgerQuery = strictQuery(query, FILTERS);
    const sort = optionalSort(q.sort, SORT_KEYS);
    const { count, rows } = ledgerYearsExport(actor, await this.filterOf(q), sort);
    await this.exportGate.run(actor, () =>
      sendCsvExport(this.pool, res, {
        filename: 'ledger.csv',
        columns: LEDGER_CSV_COLUMNS,
        count,
        rows,
        toRow: ledgerYearExportRow,
      }),
    );
  }

  /**
   * The figures of the bureau's, the district offices' and the finance officers' reports: the support years
   * GET /ledger lists with the same filters, in the same scope, summed per district, calendar year or support
   * year (one or two of them) and over all — granted, disbursed, spent (and per category), rejected,
   * cancelled, balance, undisbursed — as integer fen strings. Declared before `ledger/:centerId`.
   */
  @Get('ledger/summary')
  @CalledBy(...READERS)
  @ApiAnswers('LedgerSummary', 'the support years in your scope, summed per group', [400, 401, 403])
  @ApiFilters(SUMMARY_FILTERS)
  @ApiQuery({
    name: 'groupBy',
    required: false,
    description: `one or two of ${LEDGER_GROUP_KEYS.join(', ')}, comma-separated (default year: the calendar year); groups ordered by the first, then the second, ascending, nulls last`,
    schema: groupBySchema(LEDGER_GROUP_KEYS, 'year'),
  })
  async summary(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<LedgerSummary> {
    const q: LedgerQuery = strictQuery(query, ['groupBy', ...SUMMARY_FILTERS]);
    const groupBy = readGroupBy(q.groupBy, LEDGER_GROUP_KEYS, 'year');
    return summarizeLedger(this.pool, actor, await this.filterOf(q), groupBy);
  }

  /**
   * Every ledger entry (A12–A13) as CSV, one row per entry: the bureau's list of grants, disbursements,
   * expenditures, rejections, reversals and cancellations with the policy version each used. The same
   * scope and filters as ledger.csv (`year`: the calendar year of the entry's support year); rows by center,
   * then in the order finance recorded them. Declared before `ledger/:centerId`.
   */
  @Get('ledger/entries.csv')
  @CalledBy(...READERS)
  @ApiCsvAnswers('every entry of the ledgers in your scope', [400, 401, 403, 429])
  @ApiFilters(ENTRY_FILTERS)
  async exportEntriesCsv(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const q: LedgerQuery = strictQuery(query, ENTRY_FILTERS);
    const { count, rows } = ledgerEntriesExport(actor, await this.filterOf(q));
    await this.exportGate.run(actor, () =>
      sendCsvExport(this.pool, res, {
        filename: 'ledger-entries.csv',
        columns: ENTRY_CSV_COLUMNS,
        count,
        rows,
        toRow: ledgerEntryExportRow,
      }),
    );
  }

  /**
   * The ledgers as recorded at `at` (an instant, or a date's end in Asia/Shanghai), or at a Kafka position
   * `endOffsets`: finance's topic replayed into memory, live tables untouched. Declared before
   * `ledger/:centerId` so that route does not take "as-of" for a center id.
   */
  @Get('ledger/as-of')
  @CalledBy(...READERS)
  @ApiAnswers('LedgerAsOf', 'the ledgers in your scope as recorded then', [400, 401, 403, 429])
  @ApiQuery({ name: 'at', required: false, description: AS_OF_AT, schema: TEXT_SCHEMA })
  @ApiQuery({ name: 'endOffsets', required: false, description: AS_OF_END_OFFSETS, schema: TEXT_SCHEMA })
  @ApiQuery({ name: 'centerId', required: false, description: 'only this center', schema: TEXT_SCHEMA })
  async asOf(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<({ at: string } | { endOffsets: EndOffsets }) & { items: LedgerView[] }> {
    const { at, endOffsets, centerId } = strictQuery(query, ['at', 'endOffsets', 'centerId']);
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    const topics = [serviceTopic('finance', prefix)];
    const { point, documents: ledgers } = await readModelAsOf({
      gate: this.replayGate,
      kafka: this.kafka,
      topics,
      knownTopics: SERVICES.map((s) => serviceTopic(s, prefix)),
      replayGroupPrefix: replayGroupPrefixOf(prefix),
      reducer: ledgerReducer,
      at,
      endOffsets,
      actor,
      centerId: centerId || undefined,
    });
    const items = ledgers.map((l) => toLedgerView(encodeLedger(l)));
    return 'at' in point ? { at: point.at.toISOString(), items } : { endOffsets: point.endOffsets, items };
  }

  /** 404 also when the center is outside the actor's scope: existence is not disclosed. */
  @Get('ledger/:centerId')
  @CalledBy(...READERS)
  @ApiAnswers('LedgerView', 'one center’s ledger', [400, 401, 403, 404])
  async one(
    @CurrentActor() actor: Actor,
    @Param('centerId') centerId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<LedgerView> {
    strictQuery(query, []);
    const notFound = () => new NotFoundError('ledger', centerId);
    const found = await findLedger(this.pool, centerId);
    if (!found) throw notFound();
    const target = { id: centerId, centerId, district: found.district ?? undefined };
    assertCanActOrNotFound(actor, target, 'read', notFound);
    return toLedgerView(found.state);
  }
}
