import { Inject } from '@nestjs/common';
import { Body, Controller, Get, Param, Post } from '@nestjs/common';
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
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '@nqpf/auth';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { InvalidInputError } from '@nqpf/domain';
import { Clock, CorrelationId, PG_POOL, PublishedPolicies } from '@nqpf/platform';
import type { Pool } from 'pg';
import { shanghaiToday } from '@nqpf/rules';
import type { AssessmentMethod } from '../domain/center/center.types';
import { AssessCenterCommand, AssessmentResult, ReviseAssessmentCommand } from './assessment.command';
import { AssessCenterDto, ReviseAssessmentDto } from './assessment.dtos';
import { checkAnnualActivities } from '../domain/center/annual-activities';
import { CenterExecutor } from './center.executor';
import { activityCountOf, reportComplianceOf } from './assessment.store';

/** A calendar year in the range the assessment's own body accepts (AssessCenterDto), as a path segment. */
function readYear(raw: string): number {
  const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  if (!(year >= 2000 && year <= 2100))
    throw new InvalidInputError('year', `A17.1: must be a calendar year from 2000 to 2100, got '${raw}'`);
  return year;
}

@ApiTags('assessment and revocation (A16, A17)')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'your role may not call this route' })
@ApiNotFoundResponse({
  description:
    'no recognised center with this id in your scope: another center’s or district’s answers exactly as one that does not exist',
})
@Controller('centers/:centerId')
export class AssessmentController {
  constructor(
    private readonly commands: CommandBus,
    private readonly executor: CenterExecutor,
    private readonly clock: Clock,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly policies: PublishedPolicies,
  ) {}

  /** A17.1: the bureau assesses a center for a past year; two consecutive 不合格 revoke it (A17.3b). */
  @Post('assessments')
  @Roles('city_bureau')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'a retried command returns the first result',
  })
  @ApiCreatedResponse({
    description: 'assessment-completed (and center-revoked when A17.3b applies)',
    schema: { example: { centerId: '0193…', status: 'recognised', version: 3, recorded: [] } },
  })
  @ApiBadRequestResponse({
    description: 'a field is invalid; the body names it',
    schema: {
      example: {
        statusCode: 400,
        error: 'invalid_input',
        field: 'method.reason',
        message: 'method.reason: must be a non-empty text',
      },
    },
  })
  @ApiUnprocessableEntityResponse({ description: 'A17.1: the year has not ended or is before recognition' })
  @ApiConflictResponse({
    description: 'the year is assessed already, or the center is revoked (final)',
    schema: {
      example: {
        statusCode: 409,
        error: 'illegal_transition',
        currentState: 'center revoked on 2029-02-15 (A17.3b); recognition is revoked for good',
        attemptedAction: 'assess 2029',
      },
    },
  })
  assess(
    @Param('centerId') centerId: string,
    @Body() body: AssessCenterDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ): Promise<AssessmentResult> {
    return this.commands.execute(
      new AssessCenterCommand(
        centerId,
        body.year,
        body.method as unknown as AssessmentMethod,
        actor,
        cid ?? uuidv7(),
      ),
    );
  }

  /**
   * A17.1, a correction: the bureau replaces the grade recorded for `year` (keyed wrongly) with a written
   * reason; finance decides the grant that grade fixed again (A12.3), and A17.3b is checked on the corrected
   * history (two consecutive 不合格 revoke). A revoked center is never revised: revocation is final.
   */
  @Post('assessments/:year/revision')
  @Roles('city_bureau')
  @ApiParam({ name: 'year', type: 'integer', example: 2027, description: 'the year assessed, 2000–2100' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'a retried command returns the first result',
  })
  @ApiCreatedResponse({
    description: 'assessment-revised (and center-revoked when A17.3b applies to the corrected grades)',
    schema: { example: { centerId: '0193…', status: 'recognised', version: 4, recorded: [] } },
  })
  @ApiBadRequestResponse({
    description: 'a field is invalid (`reason` missing or blank, `method`, `year`); the body names it',
    schema: {
      example: {
        statusCode: 400,
        error: 'invalid_input',
        field: 'reason',
        message: 'reason: A17.1: a grade is corrected only with a written reason',
      },
    },
  })
  @ApiConflictResponse({
    description:
      'the year was never assessed, the corrected grade is the one recorded, or the center is revoked (final; ' +
      'a grade that revoked is a question for the bureau, not a revision)',
    schema: {
      example: {
        statusCode: 409,
        error: 'illegal_transition',
        currentState: '2027 is graded 合格 already',
        attemptedAction: 'revise the 2027 assessment to 合格',
      },
    },
  })
  revise(
    @Param('centerId') centerId: string,
    @Param('year') rawYear: string,
    @Body() body: ReviseAssessmentDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ): Promise<AssessmentResult> {
    return this.commands.execute(
      new ReviseAssessmentCommand(
        centerId,
        readYear(rawYear),
        body.method as unknown as AssessmentMethod,
        body.reason,
        actor,
        cid ?? uuidv7(),
      ),
    );
  }

  /** Grades by year, operating deadline and start, revocation (reason and rule). Reads stay open after revocation. */
  @Get('assessment')
  @Roles('operator', 'district_office', 'city_bureau', 'finance_officer', 'auditor')
  @ApiOkResponse({
    description: 'the center as assessment knows it',
    schema: {
      example: {
        centerId: '0193…',
        status: 'revoked',
        recognizedOn: '2026-03-10',
        operatingDeadline: '2028-03-10',
        startedOn: null,
        grades: { 2027: '不合格', 2028: '不合格' },
        revocation: { revokedOn: '2029-02-15', ruleId: 'A17.3b', reason: 'consecutive-unqualified' },
        version: 4,
      },
    },
  })
  async get(@Param('centerId') centerId: string, @CurrentActor() actor: Actor) {
    const { state, version } = await this.executor.loadInScope(centerId, actor, 'read');
    return { ...state, version };
  }

  /**
   * The inputs an assessment of `year` would show now: activities recorded with their A6.5 check (under
   * today's policy, as the assessment takes it) and report compliance (A14/A15).
   */
  @Get('assessments/:year/inputs')
  @Roles('operator', 'district_office', 'city_bureau', 'auditor')
  @ApiParam({ name: 'year', type: 'integer', example: 2027, description: 'a calendar year, 2000–2100' })
  @ApiBadRequestResponse({ description: '`year` is not a calendar year from 2000 to 2100' })
  @ApiOkResponse({
    description: 'activity count (with its A6.5 check) and report compliance of the year',
    schema: {
      example: {
        year: 2027,
        activityCount: 104,
        activityCheck: {
          ruleId: 'A6.5',
          criterion: 'annualActivities',
          measured: 104,
          threshold: '>= 100',
          passed: true,
          message: {
            zh: '2027年记录活动104场，不少于100场',
            en: '104 activities recorded in 2027, at least 100',
          },
          policyVersion: 'policy-2026.1',
        },
        reportCompliance: { due: 5, filedOnTime: 4, filedLate: 1, missing: 0 },
      },
    },
  })
  async inputs(
    @Param('centerId') centerId: string,
    @Param('year') rawYear: string,
    @CurrentActor() actor: Actor,
  ) {
    const year = readYear(rawYear);
    const { state } = await this.executor.loadInScope(centerId, actor, 'read');
    const today = shanghaiToday(this.clock.now());
    const activityCount = await activityCountOf(this.pool, centerId, year);
    return {
      year,
      activityCount,
      activityCheck: checkAnnualActivities(year, activityCount, await this.policies.inForceOn(today)),
      reportCompliance: await reportComplianceOf(this.pool, state, year, today),
    };
  }
}
