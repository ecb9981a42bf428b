import { Controller, Get, Inject, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Pool } from 'pg';
import { CurrentActor, Roles } from '@nqpf/auth';
import type { Actor } from '@nqpf/contracts';
import { AggregateRepository, pageOf, PageQuery, PG_POOL } from '@nqpf/platform';
import { listHeldRevisions } from './held-revisions.list';

/**
 * The finance officer's work list: every grade correction finance holds (A12.3), without opening each
 * account. Its own controller, registered before AccountsController, so `/accounts/held-revisions` is
 * not read as the account of a center named `held-revisions`.
 */
@ApiTags('subsidy accounts (A12, A13)')
@ApiBearerAuth()
@Controller('accounts')
export class HeldRevisionsController {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /** Who may read every account reads them all; a district office its district's, as it reads accounts. */
  @Get('held-revisions')
  @Roles('district_office', 'city_bureau', 'finance_officer', 'auditor')
  @ApiOperation({
    summary: 'the grade corrections finance holds, oldest first',
    description:
      'A grade corrected downward (A12.3) whose new grant falls below what its support year has disbursed is ' +
      'held, and nothing more is paid to the center, until a finance officer corrects that year’s ' +
      'disbursements (POST /accounts/:centerId/corrections) or the bureau corrects the grade again; each ' +
      'held correction is also shown on its account (GET /accounts/:centerId, heldRevision). The bureau, ' +
      'finance officers and auditors read every center’s; a district office its own district’s (the page ' +
      'and total count only those); operators and experts may not (403).',
  })
  @ApiOkResponse({
    description:
      'one page of the held corrections within your scope, the longest held first (limit 1–200, default ' +
      '50; offset from 0), and total, how many there are: each names centerId, district, supportYear (the ' +
      'year whose grant waits), the corrected grade (assessedYear, previousGrade, grade, revisedOn, ' +
      'reason), grantFen (the grant the corrected grade decides), disbursedFen (what the year has disbursed) ' +
      'and toCorrectFen (how much of it to correct before the correction applies), as GET ' +
      '/accounts/:centerId shows them, and heldSince (when finance held it, an ISO instant; a later ' +
      'correction of the year held in its place starts again)',
    schema: {
      example: {
        total: 1,
        limit: 50,
        offset: 0,
        items: [
          {
            centerId: '0193a1b2-…',
            district: '南关区',
            supportYear: 2,
            assessedYear: 2026,
            previousGrade: '合格',
            grade: '不合格',
            revisedOn: '2027-02-16',
            reason: '录入错误，按考核结论更正',
            grantFen: '0',
            disbursedFen: '30000000',
            toCorrectFen: '30000000',
            heldSince: '2027-02-16T01:30:00.000Z',
          },
        ],
      },
    },
  })
  @ApiBadRequestResponse({
    description: 'limit or offset out of range, or another query parameter; the body names it',
    schema: { example: { statusCode: 400, error: 'invalid_input', field: 'limit' } },
  })
  @ApiForbiddenResponse({ description: 'your role may not read every account: operators and experts' })
  list(@Query() q: PageQuery, @CurrentActor() actor: Actor) {
    return listHeldRevisions(this.pool, this.repository, actor, pageOf(q));
  }
}
