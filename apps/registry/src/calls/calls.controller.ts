import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { Clock, PG_POOL } from '@nqpf/platform';
import { callTakesSubmissionsOn, shanghaiToday } from '@nqpf/rules';
import { intSchema, optionalInt, strictQuery, YEARS } from '../standing/request-params';
import { CallRow, listCalls } from './calls.read-model';
import { ApiAnswers } from '../read-api/responses';
import { CalledByAnyone } from '../read-api/callers';

@ApiTags('calls (A7)')
@Controller('calls')
export class CallsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly clock: Clock,
  ) {}

  /**
   * Calls are public notices; this list is the read side's, fed by intake's events over Kafka. `status` is
   * the record's (open until the bureau closes it); `takesSubmissionsToday`: inside its window (A7).
   */
  @Get()
  @CalledByAnyone()
  @ApiQuery({ name: 'year', required: false, schema: { ...intSchema(YEARS), example: 2026 } })
  @ApiAnswers('CallList', 'the calls, latest opening first', [400, 'rate limited'])
  async list(
    @Query() query: Record<string, unknown>,
  ): Promise<(CallRow & { takesSubmissionsToday: boolean })[]> {
    const q = strictQuery(query, ['year']);
    const today = shanghaiToday(this.clock.now());
    return (await listCalls(this.pool, optionalInt(q.year, 'year', YEARS))).map((call) => ({
      ...call,
      takesSubmissionsToday: callTakesSubmissionsOn(call, today),
    }));
  }
}
