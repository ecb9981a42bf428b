import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AllowBodyFields, assertCanActOrNotFound, CurrentActor, Roles, scopeFilter } from '@nqpf/auth';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { ForbiddenError, NotFoundError } from '@nqpf/domain';
import {
  AggregateRepository,
  CONFIG,
  CorrelationId,
  IfMatch,
  pageOf,
  PG_POOL,
  readDistrictFilter,
  TakesIfMatch,
} from '@nqpf/platform';
import type { IntakeConfig } from '../config';
import { applicationDecider } from '../domain/application/application.decider';
import { ApplicationCommandMessage, ApplicationRequest, ApplicationView } from './application.command';
import {
  AmendApplicationDto,
  DraftApplicationDto,
  EndorseApplicationDto,
  ReturnApplicationDto,
  ReturnForSupplementDto,
} from './application.dtos';
import { applicationStream } from './application.stream';
import { listApplicationRows } from './read-model/application-rows';
import { ListApplicationsQuery } from './read-model/list-applications.query';

const VIEW_EXAMPLE = { applicationId: '0193a1b2-…', status: 'submitted', revision: 1, version: 2 };

@ApiTags('applications (A7, A8)')
@ApiBearerAuth()
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'a retried command returns the first result',
})
@ApiBadRequestResponse({
  description: 'a field is invalid; the body names it',
  schema: {
    example: {
      statusCode: 400,
      error: 'invalid_input',
      field: 'facts.operator.creditCode',
      message: 'facts.operator.creditCode: check character of … is wrong',
    },
  },
})
@ApiForbiddenResponse({ description: 'your role may not call this route' })
@ApiNotFoundResponse({
  description:
    'no application with this id in your scope: another center’s or district’s answers exactly as one that does not exist',
})
@ApiConflictResponse({
  description: 'not allowed in the current state',
  schema: {
    example: {
      statusCode: 409,
      error: 'illegal_transition',
      currentState: 'application submitted',
      attemptedAction: 'submit application',
    },
  },
})
@Controller('applications')
export class ApplicationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: AggregateRepository,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Pick<IntakeConfig, 'NQPF_DISTRICT_UNITS'>,
  ) {}

  private run(
    applicationId: string,
    request: ApplicationRequest,
    actor: Actor,
    correlationId?: string,
    expectedVersion?: number,
  ) {
    return this.commands.execute<ApplicationCommandMessage, ApplicationView>(
      new ApplicationCommandMessage(
        applicationId,
        request,
        actor,
        correlationId ?? uuidv7(),
        expectedVersion,
      ),
    );
  }

  /** The operator drafts the application of its own center (the application id is the center id). */
  @Post()
  @Roles('operator')
  @AllowBodyFields('district')
  @ApiCreatedResponse({
    description: 'drafted',
    schema: { example: { ...VIEW_EXAMPLE, status: 'draft', revision: 0, version: 1 } },
  })
  @ApiUnprocessableEntityResponse({ description: 'A7: the call is not open; the body names its window' })
  draft(@Body() body: DraftApplicationDto, @CurrentActor() actor: Actor, @CorrelationId() cid?: string) {
    if (!actor.centerId) throw new ForbiddenError('an operator account without a center cannot apply');
    return this.run(actor.centerId, { kind: 'draft', ...body }, actor, cid);
  }

  @Patch(':id')
  @TakesIfMatch()
  @Roles('operator')
  @AllowBodyFields('district')
  @ApiOkResponse({ description: 'amended (in draft or after a return)', schema: { example: VIEW_EXAMPLE } })
  amend(
    @Param('id') id: string,
    @Body() body: AmendApplicationDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
    @IfMatch() version?: number,
  ) {
    return this.run(id, { kind: 'amend', ...body }, actor, cid, version);
  }

  @Post(':id/submit')
  @TakesIfMatch()
  @HttpCode(200)
  @Roles('operator')
  @ApiOkResponse({ description: 'submitted to the district office', schema: { example: VIEW_EXAMPLE } })
  @ApiUnprocessableEntityResponse({
    description: 'A7: outside the call window (opensOn, closesOn in the body)',
  })
  submit(
    @Param('id') id: string,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
    @IfMatch() version?: number,
  ) {
    return this.run(id, { kind: 'submit' }, actor, cid, version);
  }

  @Post(':id/endorse')
  @TakesIfMatch()
  @HttpCode(200)
  @Roles('district_office')
  @ApiOkResponse({
    description: 'endorsed and forwarded to the bureau',
    schema: { example: { ...VIEW_EXAMPLE, status: 'endorsed' } },
  })
  endorse(
    @Param('id') id: string,
    @Body() body: EndorseApplicationDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
    @IfMatch() version?: number,
  ) {
    return this.run(id, { kind: 'endorse', ...body }, actor, cid, version);
  }

  @Post(':id/return')
  @TakesIfMatch()
  @HttpCode(200)
  @Roles('district_office')
  @ApiOkResponse({
    description: 'returned to the operator with reasons',
    schema: { example: { ...VIEW_EXAMPLE, status: 'returned-by-district' } },
  })
  returnByDistrict(
    @Param('id') id: string,
    @Body() body: ReturnApplicationDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
    @IfMatch() version?: number,
  ) {
    return this.run(id, { kind: 'return-by-district', reasons: body.reasons }, actor, cid, version);
  }

  /** A8: accepted when the required materials are complete, else returned for supplement naming what is missing. */
  @Post(':id/accept')
  @TakesIfMatch()
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({
    description: "status 'accepted', or 'returned-for-supplement' when materials are missing",
    schema: { example: { ...VIEW_EXAMPLE, status: 'accepted' } },
  })
  accept(
    @Param('id') id: string,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
    @IfMatch() version?: number,
  ) {
    return this.run(id, { kind: 'check-materials' }, actor, cid, version);
  }

  @Post(':id/return-for-supplement')
  @TakesIfMatch()
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({
    description: 'returned for supplement',
    schema: { example: { ...VIEW_EXAMPLE, status: 'returned-for-supplement' } },
  })
  returnForSupplement(
    @Param('id') id: string,
    @Body() body: ReturnForSupplementDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
    @IfMatch() version?: number,
  ) {
    return this.run(id, { kind: 'return-for-supplement', ...body }, actor, cid, version);
  }

  /**
   * The applications the actor may see: an operator its own center's, a district office its district's
   * queue (e.g. ?status=submitted), the bureau and auditors all; filtered and paged in SQL.
   */
  @Get()
  @Roles('operator', 'district_office', 'city_bureau', 'auditor')
  @ApiOkResponse({
    description: 'one page, oldest change first, and the number of all matching',
    schema: {
      example: {
        total: 1,
        limit: 50,
        offset: 0,
        items: [
          {
            applicationId: '0193a1b2-…',
            callId: '0193a0ff-…',
            district: '南关区',
            status: 'submitted',
            operatorName: '长春市南关区科技服务有限公司',
            revision: 1,
            version: 2,
            updatedAt: '2026-03-02T01:00:00.000Z',
          },
        ],
      },
    },
  })
  async list(@Query() q: ListApplicationsQuery, @CurrentActor() actor: Actor) {
    const page = pageOf(q);
    const units = this.config.NQPF_DISTRICT_UNITS;
    const district = await readDistrictFilter(this.pool, q.district, units, 'intake.applications');
    const filter = { status: q.status, district, callId: q.callId || undefined };
    return { ...(await listApplicationRows(this.pool, scopeFilter(actor), filter, page)), ...page };
  }

  /** The application with its facts, materials and return history: its operator, its district, the bureau, auditors. */
  @Get(':id')
  @Roles('operator', 'district_office', 'city_bureau', 'auditor')
  @ApiOkResponse({
    headers: { ETag: { description: 'the version, as If-Match takes it back', schema: { type: 'string' } } },
    description: 'the application',
    schema: { example: { ...VIEW_EXAMPLE, district: '南关区', returns: [] } },
  })
  async get(
    @Param('id') id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { state, version } = await this.repository.load(applicationDecider, applicationStream(id));
    // Another's application reads as an unknown one: the same 404, no ETag.
    const notFound = () => new NotFoundError('application', id);
    if (state.status === 'none') throw notFound();
    assertCanActOrNotFound(actor, { id, centerId: id, district: state.district }, 'read', notFound);
    // Sent back as If-Match with a change, so a change to what someone else changed meanwhile is a 409.
    response.setHeader('ETag', `"${version}"`);
    return { ...state, version };
  }
}
