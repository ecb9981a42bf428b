import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Public } from '@nqpf/auth';
import { Clock, pageOf, PageQuery, PG_POOL } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import { listCandidacyRows } from './candidacy-rows';

/** A9.3: the applications currently in publicity, for anyone; objections go to POST /candidacies/:id/objections. */
@ApiTags('publicity (A9.3, A9.4)')
@Controller('publicity')
export class PublicityController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({
    description: 'one page of the publicity list, earliest end first',
    schema: {
      example: {
        total: 1,
        limit: 50,
        offset: 0,
        items: [
          {
            applicationId: '0193a1b2-…',
            operatorName: '长春市南关区科技服务有限公司',
            district: '南关区',
            publishedOn: '2026-02-13',
            lastDay: '2026-02-27',
            endsAt: '2026-02-27T16:00:00.000Z',
            objectionPending: false,
          },
        ],
      },
    },
  })
  @ApiTooManyRequestsResponse({ description: 'public routes are rate-limited per client' })
  async list(@Query() q: PageQuery) {
    const page = pageOf(q);
    const { total, items } = await listCandidacyRows(
      this.pool,
      'all',
      // Publicity dated later is not shown as current: objections to it would be refused until that day.
      { status: ['in-publicity'], publishedBy: shanghaiToday(this.clock.now()) },
      {
        ...page,
        order: 'publicity-end',
      },
    );
    return {
      total,
      ...page,
      items: items.map((c) => ({
        applicationId: c.applicationId,
        operatorName: c.operatorName,
        district: c.district,
        publishedOn: c.publicity?.publishedOn,
        lastDay: c.publicity?.lastDay,
        endsAt: c.publicity?.endsAt,
        objectionPending: c.phase === 'objection pending',
      })),
    };
  }
}
