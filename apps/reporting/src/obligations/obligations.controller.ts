import { CorrelationId, PublishedPolicies } from '@nqpf/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { assertCanActOrNotFound, CurrentActor, Roles, type RouteBodyLimit } from '@nqpf/auth';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { NotFoundError } from '@nqpf/domain';
import { ObligationsCommandMessage, ObligationsRequest, ObligationsResult } from './obligations.command';
import {
  ConfirmOperationStartDto,
  DeclareOperationStartDto,
  FileReportDto,
  ListActivitiesQuery,
  LogActivityDto,
  RejectOperationStartDto,
  ReportMajorChangeDto,
  WithdrawActivityDto,
} from './obligations.dtos';
import { REPORT_TEXT_MAX } from '../domain/obligations/report-content';
import { readReportKey } from '../domain/obligations/report-period';
import { ACTIVITIES_VIEW_EVENTS, activitiesView } from './activities.view';
import { MAJOR_CHANGES_VIEW_EVENTS, majorChangesView } from './major-changes.view';
import { ObligationsExecutor } from './obligations.executor';
import { obligationsView } from './obligations.view';
import { REPORT_VIEW_EVENTS, reportView } from './report.view';

/**
 * A15: an annual report holds four texts of up to REPORT_TEXT_MAX (20 000) characters: 240 000 bytes of
 * UTF-8 in Chinese, 480 000 when a client escapes each character in six bytes (\u957f: Python's json.dumps
 * does), with a correction's reason of up to 4 000 beside them. The report route takes bodies up to 512 kB;
 * every other route SECURITY_BODY_LIMIT (100 kB). The production ingress lets 1m through.
 */
export const REPORT_BODY_LIMIT: RouteBodyLimit = {
  method: 'POST',
  path: '/centers/:centerId/reports',
  limit: '512kb',
};

const RESULT_EXAMPLE = { centerId: '0193a1b2-…', status: 'operating', version: 4, recorded: [] };

const ACTIVITY_EXAMPLE = {
  activityId: '0193b2c3-…',
  type: 'roadshow',
  heldOn: '2026-05-20',
  title: '新材料项目路演',
  participants: 40,
  evidenceHash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  loggedAt: '2026-05-21T01:30:00.000Z',
};

const REVISION_EXAMPLE = {
  revision: 1,
  filedOn: '2026-07-02',
  late: false,
  content: { kind: 'quarterly', majorActivities: '路演6场', importantResults: '促成技术合同1项' },
  documentHash: null,
  filedBy: { id: 'op-staff-1', role: 'operator', district: null, centerId: '0193a1b2-…' },
  supersedesRevision: null,
  reason: null,
};

@ApiTags('obligations (A14–A16)')
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
      field: 'heldOn',
      message: 'heldOn: A6.5: must not be after today (2027-04-03), got 2027-04-04',
    },
  },
})
@ApiForbiddenResponse({ description: 'your role may not call this route' })
@ApiNotFoundResponse({
  description:
    'no recognised center with this id in your scope: another center’s or district’s answers exactly as one that does not exist',
})
@ApiConflictResponse({
  description:
    'not allowed in the current state, e.g. the center is revoked (a report on a period that ended by the revocation day is still accepted, on time or late)',
  schema: {
    example: {
      statusCode: 409,
      error: 'illegal_transition',
      currentState:
        'center revoked on 2027-04-03 (A16); recognition is revoked for good, and period 2027-Q2 ended after that day (2027-06-30): only the reports of periods ended by then are owed',
      attemptedAction: 'file quarterly report',
    },
  },
})
@Controller('centers/:centerId')
export class ObligationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly executor: ObligationsExecutor,
    private readonly policies: PublishedPolicies,
  ) {}

  private run(centerId: string, request: ObligationsRequest, actor: Actor, cid?: string) {
    return this.commands.execute<ObligationsCommandMessage, ObligationsResult>(
      new ObligationsCommandMessage(centerId, request, actor, cid ?? uuidv7()),
    );
  }

  /**
   * 投入运营: the operator declares when operation started; its district office, or the bureau (which
   * revokes under A17.3a, RULES "Actors"), confirms or rejects it.
   */
  @Post('operation-start')
  @HttpCode(200)
  @Roles('operator')
  @ApiOkResponse({
    description: 'declared, awaiting the district office or the bureau',
    schema: { example: RESULT_EXAMPLE },
  })
  declareStart(
    @Param('centerId') centerId: string,
    @Body() body: DeclareOperationStartDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    return this.run(centerId, { kind: 'declare-operation-start', startedOn: body.startedOn }, actor, cid);
  }

  /**
   * The center's district office (its own district only) or the bureau (any center, e.g. when the office
   * does not act): the event records which, as its actor.
   */
  @Post('operation-start/confirm')
  @HttpCode(200)
  @Roles('district_office', 'city_bureau')
  @ApiOkResponse({
    description: 'confirmed, with its written basis; the A17.3a check is recorded',
    schema: { example: RESULT_EXAMPLE },
  })
  confirmStart(
    @Param('centerId') centerId: string,
    @Body() body: ConfirmOperationStartDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    return this.run(centerId, { kind: 'confirm-operation-start', ...body }, actor, cid);
  }

  /** As confirm: the center's district office or the bureau, with the reason. */
  @Post('operation-start/reject')
  @HttpCode(200)
  @Roles('district_office', 'city_bureau')
  @ApiOkResponse({ description: 'not confirmed, with the reason', schema: { example: RESULT_EXAMPLE } })
  rejectStart(
    @Param('centerId') centerId: string,
    @Body() body: RejectOperationStartDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    return this.run(centerId, { kind: 'reject-operation-start', ...body }, actor, cid);
  }

  /** A6.5: one activity with its evidence hash; counted in its calendar year. */
  @Post('activities')
  @Roles('operator')
  @ApiCreatedResponse({
    description: 'logged; `id` is the activity id',
    schema: { example: { ...RESULT_EXAMPLE, id: '0193…' } },
  })
  logActivity(
    @Param('centerId') centerId: string,
    @Body() body: LogActivityDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    return this.run(centerId, { kind: 'log-activity', ...body }, actor, cid);
  }

  /** A6.5: an activity logged by mistake leaves the count, with the operator's written reason. */
  @Post('activities/:activityId/withdrawal')
  @Roles('operator')
  @ApiCreatedResponse({ description: 'withdrawn: no longer counted', schema: { example: RESULT_EXAMPLE } })
  withdrawActivity(
    @Param('centerId') centerId: string,
    @Param('activityId') activityId: string,
    @Body() body: WithdrawActivityDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    return this.run(centerId, { kind: 'withdraw-activity', activityId, reason: body.reason }, actor, cid);
  }

  /** A14/A15: file a report (late is accepted and marked late); a second one for a period is a correction. */
  @Post('reports')
  @Roles('operator')
  @ApiCreatedResponse({ description: 'filed (or corrected)', schema: { example: RESULT_EXAMPLE } })
  @ApiUnprocessableEntityResponse({
    description: 'A14/A15: the period has not ended or ended before recognition',
  })
  @ApiPayloadTooLargeResponse({
    description: `the body is over ${REPORT_BODY_LIMIT.limit} (each content text holds up to ${REPORT_TEXT_MAX} characters)`,
    schema: {
      example: {
        statusCode: 413,
        error: 'Payload Too Large',
        message:
          'request body too large: this route takes at most 524288 bytes of JSON (counted after any Content-Encoding is undone)',
        field: 'body',
        limitBytes: 524288,
      },
    },
  })
  fileReport(
    @Param('centerId') centerId: string,
    @Body() body: FileReportDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    const { kind, ...rest } = body;
    return this.run(centerId, { kind: 'file-report', reportKind: kind, ...rest }, actor, cid);
  }

  /** A16: a major change in writing, with the new facts; re-checked against art. 6 at once. */
  @Post('major-changes')
  @Roles('operator')
  @ApiCreatedResponse({
    description: 'reported and evaluated; `id` is the change id',
    schema: { example: { ...RESULT_EXAMPLE, id: '0193…' } },
  })
  reportMajorChange(
    @Param('centerId') centerId: string,
    @Body() body: ReportMajorChangeDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    return this.run(centerId, { kind: 'report-major-change', ...body }, actor, cid);
  }

  /**
   * The center's obligations as the actor may read them: another's center reads as one not recognised
   * (the same 404). Reads stay open after revocation.
   */
  private async readable(centerId: string, actor: Actor) {
    const loaded = await this.executor.load(centerId);
    const { state } = loaded;
    const notFound = () => new NotFoundError('recognised center', centerId);
    if (state.status === 'none') throw notFound();
    assertCanActOrNotFound(actor, { id: centerId, centerId, district: state.district }, 'read', notFound);
    return { state, version: loaded.version };
  }

  /** The center's obligations: operation start, activities per year, reports due/filed/overdue, changes. Reads stay open after revocation. */
  @Get('obligations')
  @Roles('operator', 'district_office', 'city_bureau', 'auditor')
  @ApiOkResponse({ description: 'the obligations standing' })
  async get(@Param('centerId') centerId: string, @CurrentActor() actor: Actor) {
    const { state, version } = await this.readable(centerId, actor);
    // Obligations opened before the A17.3a days were recorded: decided as the decider does, under the
    // version obligations-opened recorded.
    const recorded = state.operatingDeadline !== null && state.startDeclarationsCloseOn !== null;
    return obligationsView(
      state,
      version,
      recorded ? null : await this.policies.version(state.policyVersion),
    );
  }

  /**
   * A6.5: the activities logged, for whoever reads the obligations — the operator finds the id of a wrong
   * record to withdraw, the district office and the bureau see what the assessment counts. Read from the
   * stream at the version the obligations were read at, so the counts are the obligations' activitiesByYear.
   */
  @Get('activities')
  @Roles('operator', 'district_office', 'city_bureau', 'auditor')
  @ApiOkResponse({
    description:
      'the activities still counted (`activities`) and those withdrawn with the operator’s reason (`withdrawn`), ' +
      'each by heldOn then activityId; `activitiesByYear` as GET …/obligations counts them (with `year`, that ' +
      'year only); `loggedAt` is when the activity was logged',
    schema: {
      example: {
        centerId: '0193a1b2-…',
        year: 2026,
        activitiesByYear: { 2026: 1 },
        activities: [ACTIVITY_EXAMPLE],
        withdrawn: [
          {
            ...ACTIVITY_EXAMPLE,
            activityId: '0193b2c4-…',
            title: '新材料项目路演（重复）',
            withdrawnOn: '2026-05-22',
            reason: '与5月20日路演重复登记',
          },
        ],
        version: 7,
      },
    },
  })
  async activities(
    @Param('centerId') centerId: string,
    @Query() query: ListActivitiesQuery,
    @CurrentActor() actor: Actor,
  ) {
    const { version } = await this.readable(centerId, actor);
    const year = query.year === undefined ? null : Number(query.year);
    return activitiesView(
      centerId,
      year,
      await this.executor.events(centerId, version, ACTIVITIES_VIEW_EVENTS),
      version,
    );
  }

  /**
   * A14/A15: a report as filed — each revision with its content, who filed it and a correction's reason —
   * for whoever reads the obligations, which list only each revision's day and lateness. Read from the
   * stream at the version the obligations were read at, so its revisions are theirs.
   */
  @Get('reports/:kind/:period')
  @Roles('operator', 'district_office', 'city_bureau', 'auditor')
  @ApiParam({ name: 'kind', enum: ['quarterly', 'annual'], example: 'quarterly', description: 'A14 or A15' })
  @ApiParam({
    name: 'period',
    example: '2026-Q2',
    description: "as GET …/obligations lists it: 'YYYY-Qn' for a quarterly report, 'YYYY' for an annual one",
  })
  @ApiOkResponse({
    description:
      'the report: `dueOn`, `late` (the first filing’s), and `revisions` in the order filed, each with its ' +
      '`content` and `documentHash` as recorded, `filedOn`, `filedBy` (the account that filed it, as the ' +
      'event records it), and for a correction `supersedesRevision` and `reason` (null on the first filing)',
    schema: {
      example: {
        centerId: '0193a1b2-…',
        kind: 'quarterly',
        period: '2026-Q2',
        dueOn: '2026-07-15',
        late: false,
        revisions: [
          REVISION_EXAMPLE,
          {
            ...REVISION_EXAMPLE,
            revision: 2,
            filedOn: '2026-07-10',
            content: { kind: 'quarterly', majorActivities: '路演8场', importantResults: '促成技术合同2项' },
            filedBy: { id: 'op-staff-2', role: 'operator', district: null, centerId: '0193a1b2-…' },
            supersedesRevision: 1,
            reason: '补充第二季度成果数据',
          },
        ],
        version: 9,
      },
    },
  })
  @ApiBadRequestResponse({
    description: '`kind` is not quarterly or annual, or `period` is not a period of that kind',
    schema: {
      example: {
        statusCode: 400,
        error: 'invalid_input',
        field: 'period',
        message:
          "period: a quarterly report's period is a calendar quarter 'YYYY-Qn', n 1–4 (A14), got '2026'",
      },
    },
  })
  @ApiNotFoundResponse({
    description:
      'no recognised center with this id in your scope (another center’s or district’s answers exactly as one ' +
      'that does not exist); or, for your center, no report filed for the period (`filed quarterly report ' +
      '2026-Q3`: due or overdue, see GET …/obligations), or a period the center was never due (`quarterly report period …`)',
    schema: {
      example: {
        statusCode: 404,
        error: 'not_found',
        message: 'filed quarterly report 2026-Q3 not found',
        what: 'filed quarterly report',
        id: '2026-Q3',
      },
    },
  })
  async report(
    @Param('centerId') centerId: string,
    @Param('kind') kind: string,
    @Param('period') key: string,
    @CurrentActor() actor: Actor,
  ) {
    // The path first: a malformed one is a 400 whichever center it names.
    const period = readReportKey(kind, key);
    const { version } = await this.readable(centerId, actor);
    return reportView(
      centerId,
      period,
      await this.executor.events(centerId, version, REPORT_VIEW_EVENTS),
      version,
    );
  }

  /**
   * A16: the major changes as reported — the change, its effective day, the new facts — each with its
   * re-check against art. 6 (outcome and reasons), for whoever reads the obligations, whose `majorChanges`
   * say only whether each left the center eligible. Read from the stream at the obligations' version.
   */
  @Get('major-changes')
  @Roles('operator', 'district_office', 'city_bureau', 'auditor')
  @ApiOkResponse({
    description:
      'the changes by `effectiveOn`, then in the order reported: each as reported (`changes`, `description`, ' +
      '`effectiveOn`, `reportedOn`, `newFacts`, `reportedBy` the account that reported it) with its ' +
      '`evaluation` — `evaluatedOn`, `stillEligible`, `failed` (the criteria the change made fail: not still ' +
      'eligible → assessment revokes) and the `decision`’s rule, versions, `outcome` and `reasons` (its inputs, ' +
      'the facts before and after, are in the audit trail)',
    schema: {
      example: {
        centerId: '0193a1b2-…',
        majorChanges: [
          {
            changeId: '0193c4d5-…',
            changes: ['area_changed'],
            description: '产权单位收回部分楼层，场地面积调整为4800平方米',
            effectiveOn: '2027-04-01',
            reportedOn: '2027-04-03',
            newFacts: { premises: { buildingAreaM2: '4800.00' } },
            reportedBy: { id: 'op-staff-1', role: 'operator', district: null, centerId: '0193a1b2-…' },
            evaluation: {
              evaluatedOn: '2027-04-03',
              stillEligible: false,
              failed: ['A6.1:buildingArea'],
              decision: {
                rule: 'major-change',
                rulesetVersion: 'rules-2026.7',
                policyVersion: 'policy-2026.1',
                outcome: {
                  stillEligible: false,
                  revoke: true,
                  failed: ['A6.1:buildingArea'],
                  failingAfterChange: ['A6.1:buildingArea'],
                },
                reasons: [
                  {
                    ruleId: 'A16',
                    criterion: 'recheck',
                    measured: ['A6.1:buildingArea'],
                    threshold: [],
                    passed: false,
                    message: {
                      zh: '重大变更（area_changed）导致不再符合认定条件（A6.1:buildingArea），撤销认定',
                      en: 'the major change (area_changed) made the center fail art. 6 (A6.1:buildingArea): revoke',
                    },
                  },
                  {
                    ruleId: 'A6.1',
                    criterion: 'buildingArea',
                    measured: '4800.00',
                    threshold: '>= 5000.00',
                    passed: false,
                    message: {
                      zh: '固定场所总建筑面积4800.00平方米，未达到5000.00平方米以上',
                      en: 'Building area 4800.00 m² is below the minimum of 5000.00 m²',
                    },
                  },
                ],
              },
            },
          },
        ],
        version: 12,
      },
    },
  })
  async majorChanges(@Param('centerId') centerId: string, @CurrentActor() actor: Actor) {
    const { version } = await this.readable(centerId, actor);
    return majorChangesView(
      centerId,
      await this.executor.events(centerId, version, MAJOR_CHANGES_VIEW_EVENTS),
      version,
    );
  }
}
