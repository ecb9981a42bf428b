import { Controller, Get, Inject, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { Public } from '@nqpf/auth';
import { PG_POOL } from '@nqpf/platform';
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
  list(@Query('year', new ParseIntPipe({ optional: true })) year?: number): Promise<CallRow[]> {
    return listCalls(this.pool, year);
  }
}
