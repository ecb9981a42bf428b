import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { Public } from '@nqpf/auth';
import { PG_POOL } from '@nqpf/platform';
import { optionalInt, strictQuery } from '../standing/request-params';
import { CallRow, listCalls } from './calls.read-model';

@ApiTags('calls (A7)')
@Controller('calls')
export class CallsController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Calls are public notices; this list is the read side's, fed by intake's events over Kafka. */
  @Get()
  @Public()
  @ApiQuery({ name: 'year', required: false, example: 2026 })
  @ApiOkResponse({
    schema: {
      example: [
        {
          callId: '0193…',
          year: 2026,
          opensOn: '2026-03-01',
          closesOn: '2026-04-30',
          status: 'open',
          closedOn: null,
        },
      ],
    },
  })
  list(@Query() query: Record<string, unknown>): Promise<CallRow[]> {
    const q = strictQuery(query, ['year']);
    return listCalls(this.pool, optionalInt(q.year, 'year', 2000, 2100));
  }
}
