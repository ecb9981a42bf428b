import { Controller, Get, Header, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { serviceTopic, type Actor } from '@nqpf/contracts';
import { CurrentActor, Roles } from '@nqpf/auth';
import { CONFIG, KAFKA, PG_POOL } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { parseInstant, readModelAsOf } from '../rebuild/read-model-as-of';
import { replayGroupPrefixOf } from '../rebuild/read-models';
import { ReplayGate } from '../rebuild/replay-gate';
import { toCsv } from '../standing/csv';
import {
  exportable,
  optionalInt,
  optionalSort,
  pageParams,
  sortValues,
  strictQuery,
} from '../standing/request-params';
import {
  LEDGER_SORTS,
  LedgerFilter,
  LedgerSortKey,
  LedgerYearRow,
  listLedgerYears,
  findLedger,
} from './ledger.query';
import { encodeLedger } from './ledger.codec';
import { ledgerReducer } from './ledger.projector';
import { LedgerView, toLedgerView } from './ledger.view';

const READERS = ['city_bureau', 'district_office', 'operator', 'finance_officer', 'auditor'] as const;
const SORT_KEYS = Object.keys(LEDGER_SORTS) as LedgerSortKey[];
const SORTS = sortValues(SORT_KEYS);
const EXPORT_LIMIT = 100_000;
const FILTERS = ['district', 'year', 'supportYear', 'sort'] as const;
type LedgerQuery = Partial<Record<(typeof FILTERS)[number] | 'limit' | 'offset', string>>;

function readFilter(q: LedgerQuery): LedgerFilter {
  return {
    district: q.district || undefined,
    year: optionalInt(q.year, 'year', 2000, 2100),
    supportYear: optionalInt(q.supportYear, 'supportYear', 1, 99),
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
  ) {}

  @Get('ledger')
  @Roles(...READERS)
  @ApiQuery({ name: 'district', required: false })
  @ApiQuery({ name: 'year', required: false, description: 'calendar year of the support year' })
  @ApiQuery({ name: 'supportYear', required: false, description: '1, 2, 3…' })
  @ApiQuery({ name: 'sort', required: false, enum: SORTS })
  @ApiQuery({ name: 'limit', required: false, description: '1–200, default 50' })
  @ApiQuery({ name: 'offset', required: false })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<{ total: number; limit: number; offset: number; items: LedgerYearRow[] }> {
    const q: LedgerQuery = strictQuery(query, [...FILTERS, 'limit', 'offset']);
    const { limit, offset } = pageParams(q);
    const page = await listLedgerYears(this.pool, actor, readFilter(q), {
      sort: optionalSort(q.sort, SORT_KEYS),
      limit,
      offset,
    });
    return { total: page.total, limit, offset, items: page.rows };
  }

  @Get('ledger.csv')
  @Roles(...READERS)
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="ledger.csv"')
  async exportCsv(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<string> {
    const q: LedgerQuery = strictQuery(query, FILTERS);
    const page = await listLedgerYears(this.pool, actor, readFilter(q), {
      sort: optionalSort(q.sort, SORT_KEYS),
      limit: EXPORT_LIMIT,
      offset: 0,
    });
    exportable(page.total, EXPORT_LIMIT);
    // Amounts in integer fen, as in the API; the header says so (a spreadsheet reader would take yuan).
    const columns = [
      ['centerId', 'centerId'],
      ['district', 'district'],
      ['supportYear', 'supportYear'],
      ['calendarYear', 'calendarYear'],
      ['grantedFen', 'granted'],
      ['disbursedFen', 'disbursed'],
      ['spentFen', 'spent'],
      ['rejectedFen', 'rejected'],
      ['cancelledFen', 'cancelled'],
      ['balanceFen', 'balance'],
      ['spentByCategoryFen', 'spentByCategory'],
      ['grantPolicyVersion', 'grantPolicyVersion'],
    ] as const;
    return toCsv(
      columns.map(([header]) => header),
      page.rows.map((r) => columns.map(([, field]) => r[field])),
    );
  }

  /**
   * The ledgers as recorded at `at` (finance's topic replayed into memory; live tables untouched). Declared
   * before `ledger/:centerId` so that route does not take "as-of" for a center id.
   */
  @Get('ledger/as-of')
  @Roles(...READERS)
  @ApiQuery({ name: 'at', required: true, description: 'ISO 8601 instant with a zone' })
  @ApiQuery({ name: 'centerId', required: false })
  async asOf(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<{ at: string; items: LedgerView[] }> {
    const { at, centerId } = strictQuery(query, ['at', 'centerId']);
    const instant = parseInstant(at, 'at');
    const ledgers = await readModelAsOf({
      gate: this.replayGate,
      kafka: this.kafka,
      topics: [serviceTopic('finance', this.config.KAFKA_TOPIC_PREFIX)],
      replayGroupPrefix: replayGroupPrefixOf(this.config.KAFKA_TOPIC_PREFIX),
      reducer: ledgerReducer,
      at: instant,
      actor,
      centerId: centerId || undefined,
    });
    return { at: instant.toISOString(), items: ledgers.map((l) => toLedgerView(encodeLedger(l))) };
  }

  /** 404 also when the center is outside the actor's scope: existence is not disclosed. */
  @Get('ledger/:centerId')
  @Roles(...READERS)
  async one(
    @CurrentActor() actor: Actor,
    @Param('centerId') centerId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<LedgerView> {
    strictQuery(query, []);
    const stored = await findLedger(this.pool, actor, centerId);
    if (!stored) throw new NotFoundException(`centerId: no ledger for center "${centerId}" in your scope`);
    return toLedgerView(stored);
  }
}
