import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
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
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { assertCanActOrNotFound, CurrentActor, Public, RateLimited, Roles, scopeFilter } from '@nqpf/auth';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { NotFoundError } from '@nqpf/domain';
import { PostgresEventStore } from '@nqpf/event-store';
import {
  AggregateRepository,
  Clock,
  CONFIG,
  CorrelationId,
  pageOf,
  PG_POOL,
  readDistrictFilter,
} from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import type { ReviewConfig } from '../config';
import { candidacyAggregate } from './candidacy.aggregate';
import { phaseOf } from '../domain/candidacy/candidacy.state';
import { conflictedExperts } from '../experts/conflicted-experts';
import { CandidacyCommandMessage, CandidacyRequest, CandidacyView } from './candidacy.command';
import {
  AssignExpertDto,
  DecideListingDto,
  InvestigateObjectionDto,
  RaiseObjectionDto,
  RecordObjectionLetterDto,
  RecordReviewDto,
  RecordSiteInspectionDto,
  ReviseReviewDto,
  ReviseSiteInspectionDto,
  RuleOnObjectionDto,
  SignAgreementDto,
  StartPublicityDto,
  UnassignExpertDto,
} from './candidacy.dtos';
import { objectionsAsShownTo, objectionsOf } from './objection-view';
import { conflictedAsShownTo, expertAsShownTo, panelsAsShownTo, panelWorkAsShownTo } from './panel-view';
import { listCandidacyRows } from './read-model/candidacy-rows';
import { ListCandidaciesQuery } from './read-model/list-candidacies.query';
import { candidacyStream } from './streams';

const VIEW = { applicationId: '0193a1b2-…', status: 'eligible', phase: 'reviewed', version: 5 };
const PUBLIC_ACTOR: Actor = { id: 'public', role: 'public' };

/** What an objector is told where their data is collected (PIPL art. 17): the text a front end shows. */
const OBJECTION_NOTICE =
  'Your real name and a way to reach you are required (A9.4: anonymous objections are not accepted): the ' +
  'city bureau verifies the objection and answers you. Your name, contact and text are seen by the city ' +
  'bureau and auditors only, not the center, its district office or the experts, and are kept with the ' +
  'record of the publicity.';

@ApiTags('candidacies (A6, A9)')
@ApiBearerAuth()
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'a retried command returns the first result',
})
@ApiBadRequestResponse({ description: 'a field is invalid; the body names it' })
@ApiForbiddenResponse({ description: 'your role may not call this route' })
@ApiNotFoundResponse({
  description:
    'no candidacy with this id in your scope: another center’s or district’s, one you are not assigned to or declared a conflict with answers exactly as one that does not exist',
})
@ApiConflictResponse({
  description: 'not allowed in the current state',
  schema: {
    example: { statusCode: 409, currentState: 'candidacy in-publicity', attemptedAction: 'sign agreement' },
  },
})
@ApiUnprocessableEntityResponse({
  description: 'a rule refuses it (A9.1 conflict, A9.2 not reviewed, A9.4 late or anonymous)',
})
@Controller('candidacies')
export class CandidaciesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: AggregateRepository,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Pick<ReviewConfig, 'NQPF_DISTRICT_UNITS'>,
    private readonly store: PostgresEventStore,
    private readonly clock: Clock,
  ) {}

  private run(id: string, request: CandidacyRequest, actor: Actor, cid?: string): Promise<CandidacyView> {
    return this.commands.execute(new CandidacyCommandMessage(id, request, actor, cid ?? uuidv7()));
  }

  @Post(':id/experts')
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({ description: 'expert assigned (A9.1)', schema: { example: VIEW } })
  assign(
    @Param('id') id: string,
    @Body() b: AssignExpertDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'assign-expert', expertId: b.expertId }, a, c);
  }

  @Post(':id/experts/unassign')
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({ description: 'expert unassigned', schema: { example: VIEW } })
  unassign(
    @Param('id') id: string,
    @Body() b: UnassignExpertDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'unassign-expert', ...b }, a, c);
  }

  @Post(':id/reviews')
  @HttpCode(200)
  @Roles('expert')
  @ApiOkResponse({ description: 'review score and opinion recorded (A9.1)', schema: { example: VIEW } })
  review(
    @Param('id') id: string,
    @Body() b: RecordReviewDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'record-review', ...b }, a, c);
  }

  @Post(':id/site-inspections')
  @HttpCode(200)
  @Roles('expert')
  @ApiOkResponse({ description: 'site-inspection finding recorded (A9.1)', schema: { example: VIEW } })
  inspect(
    @Param('id') id: string,
    @Body() b: RecordSiteInspectionDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'record-site-inspection', ...b }, a, c);
  }

  /** A9.1: the expert corrects their own review, with a reason, until the bureau decides the listing. */
  @Post(':id/reviews/revision')
  @HttpCode(200)
  @Roles('expert')
  @ApiOkResponse({
    description: 'own review corrected; it replaces the recorded one',
    schema: { example: VIEW },
  })
  reviseReview(
    @Param('id') id: string,
    @Body() b: ReviseReviewDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'revise-review', ...b }, a, c);
  }

  /** A9.1: the expert corrects their own site inspection, with a reason, until the bureau decides the listing. */
  @Post(':id/site-inspections/revision')
  @HttpCode(200)
  @Roles('expert')
  @ApiOkResponse({
    description: 'own site inspection corrected; it replaces the recorded one',
    schema: { example: VIEW },
  })
  reviseSiteInspection(
    @Param('id') id: string,
    @Body() b: ReviseSiteInspectionDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'revise-site-inspection', ...b }, a, c);
  }

  @Post(':id/listing')
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({
    description: 'listed or not listed (A9.2)',
    schema: { example: { ...VIEW, status: 'listed' } },
  })
  listing(
    @Param('id') id: string,
    @Body() b: DecideListingDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'decide-listing', ...b }, a, c);
  }

  @Post(':id/publicity')
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({
    description: 'publicity started; its end computed on the working-day calendar (A9.3)',
    schema: { example: { ...VIEW, status: 'in-publicity' } },
  })
  publicity(
    @Param('id') id: string,
    @Body() b: StartPublicityDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'start-publicity', publishedOn: b.publishedOn }, a, c);
  }

  /** A9.4: anyone, in writing, under a real name with a contact, during publicity; few an hour per client. */
  @Post(':id/objections')
  @HttpCode(200)
  @Public()
  @RateLimited('objections')
  @ApiOperation({ summary: 'raise an objection during publicity (A9.4)', description: OBJECTION_NOTICE })
  @ApiOkResponse({
    description:
      'objection recorded; its id is returned. The same objection sent again is recorded again (send a ' +
      'retry with the same Idempotency-Key)',
    schema: { example: { ...VIEW, status: 'in-publicity', objectionId: '0193…' } },
  })
  object(
    @Param('id') id: string,
    @Body() b: RaiseObjectionDto,
    @CurrentActor('optional') a?: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(
      id,
      { kind: 'raise-objection', objector: b.objector ?? {}, content: b.content, inWriting: true },
      a ?? PUBLIC_ACTOR,
      c,
    );
  }

  /**
   * A9.4: a letter counts from its receipt, not from when it is typed in; the bureau enters it. Every
   * letter entered is recorded: one A9.4 refuses (received outside the period, or anonymous) as refused,
   * with the rules' decision, so the auditor sees each letter received and why it was not considered.
   */
  @Post(':id/objections/letters')
  @HttpCode(201)
  @Roles('city_bureau')
  @ApiCreatedResponse({
    description:
      'the letter is recorded. `admissible: true`: raised as received at receivedAt, to investigate and ' +
      'rule on. `admissible: false`: A9.4 refuses it (received after the period or before its publication ' +
      'day, or no real name or no contact): recorded refused (review.objection-refused), never open, with ' +
      '`rule`, `failed` and the failing `reasons`. The same letter again → 409 naming the first',
    schema: {
      example: {
        ...VIEW,
        status: 'publicity-ended',
        phase: 'publicity passed',
        objectionId: '0193…',
        admissible: false,
        rule: 'A9.4',
        failed: ['A9.4:inPeriod'],
        reasons: [
          {
            ruleId: 'A9.4',
            criterion: 'inPeriod',
            measured: '2026-02-28T01:10:00.000Z',
            threshold: '[2026-02-13T00:00:00+08:00, 2026-02-28T00:00:00+08:00)',
            message: 'raised outside the publicity period: not accepted',
          },
        ],
      },
    },
  })
  recordLetter(
    @Param('id') id: string,
    @Body() b: RecordObjectionLetterDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    const letter = { receivedAt: b.receivedAt, reference: b.reference };
    return this.run(
      id,
      { kind: 'raise-objection', objector: b.objector ?? {}, content: b.content, inWriting: true, letter },
      a,
      c,
    );
  }

  @Post(':id/objections/:objectionId/investigation')
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({ description: 'investigation started', schema: { example: VIEW } })
  investigate(
    @Param('id') id: string,
    @Param('objectionId') o: string,
    @Body() b: InvestigateObjectionDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'investigate-objection', objectionId: o, ...b }, a, c);
  }

  @Post(':id/objections/:objectionId/ruling')
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({ description: 'upheld (rejected) or dismissed (stays)', schema: { example: VIEW } })
  rule(
    @Param('id') id: string,
    @Param('objectionId') o: string,
    @Body() b: RuleOnObjectionDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'rule-on-objection', objectionId: o, ...b }, a, c);
  }

  /** The bureau and the district office each sign; the second signature recognises the center (A9.4). */
  @Post(':id/agreement')
  @HttpCode(200)
  @Roles('city_bureau', 'district_office')
  @ApiOkResponse({
    description: "signed; status 'recognized' after both parties",
    schema: { example: { ...VIEW, status: 'recognized' } },
  })
  sign(
    @Param('id') id: string,
    @Body() b: SignAgreementDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    return this.run(id, { kind: 'sign-agreement', reason: b.reason }, a, c);
  }

  /**
   * The candidacies the actor may see, by stage: the bureau's and auditors' queue of all, a district
   * office its district's, an operator its own, an expert those assigned and not conflicted. Each with
   * what the list is decided on (A9.2): eligibility, the panel's scores and site-inspection verdicts as
   * the candidacy shows them to the actor.
   */
  @Get()
  @Roles('operator', 'district_office', 'city_bureau', 'expert', 'auditor')
  @ApiOkResponse({
    description: 'one page, oldest change first, and the number of all matching',
    schema: {
      example: {
        total: 1,
        limit: 50,
        offset: 0,
        items: [
          {
            ...VIEW,
            callId: '0193a0ff-…',
            district: '南关区',
            operatorName: '长春市南关区科技服务有限公司',
            experts: ['expert-0007', 'expert-0012'],
            expertsAssigned: 2,
            eligibility: { eligible: true, ruleIds: [] },
            reviews: [
              { expertId: 'expert-0007', score: 88 },
              { expertId: 'expert-0012', score: 81 },
            ],
            reviewsRecorded: 2,
            inspections: [{ expertId: 'expert-0007', inspectedOn: '2026-02-03', satisfactory: true }],
            publicity: null,
            recognitionDate: null,
            updatedAt: '2026-02-05T02:00:00.000Z',
          },
        ],
      },
    },
  })
  async list(@Query() q: ListCandidaciesQuery, @CurrentActor() actor: Actor) {
    const page = pageOf(q);
    const units = this.config.NQPF_DISTRICT_UNITS;
    const district = await readDistrictFilter(this.pool, q.district, units, 'review.candidacies');
    const filter = { status: q.status, phase: q.phase, district, callId: q.callId };
    const rows = await listCandidacyRows(this.pool, scopeFilter(actor), filter, page);
    return { ...rows, items: panelsAsShownTo(actor, rows.items), ...page };
  }

  @Get(':id')
  @Roles('operator', 'district_office', 'city_bureau', 'expert', 'auditor')
  @ApiOkResponse({
    description:
      'the candidacy with its phase, rejection reasons, experts, publicity and objections (A9.4), and ' +
      '`operatorAccountId`, the account that filed it, for all but experts (they judge the operating entity, ' +
      '`facts.operator`): ' +
      '`objections` by id and status; `objectionDetails` each as received (objector, content, who sent it ' +
      'and its letter withheld but for the bureau and auditors), its ruling, and the Asia/Shanghai days it ' +
      'has been pending. A letter A9.4 refused (received outside the period, or anonymous) is listed with ' +
      'status `refused` and its `refusal` (rule, failed criteria): never pending. `experts` are those assigned; `conflictedExperts` those of them who declared a ' +
      'conflict with a party since their assignment (A9.1: off the panel, to be unassigned; assigning one ' +
      'again is 422 A9.1), named to the bureau and auditors only, empty for anyone else',
    schema: {
      example: {
        ...VIEW,
        status: 'in-publicity',
        phase: 'objection pending',
        experts: ['expert-0007', 'expert-0012'],
        conflictedExperts: [],
        objections: { '0193c4d5-…': 'raised' },
        objectionDetails: [
          {
            objectionId: '0193c4d5-…',
            status: 'raised',
            receivedAt: '2026-02-03T07:20:00.000Z',
            receivedOn: '2026-02-03',
            pendingDays: 2,
            objector: { name: '张三', contact: '13800000000' },
            content: '该中心近一年活动数量与实际不符',
            sentBy: { id: 'public', role: 'public' },
            letter: null,
            investigation: null,
            ruling: null,
            refusal: null,
          },
        ],
      },
    },
  })
  async get(@Param('id') id: string, @CurrentActor() actor: Actor) {
    const { state, version } = await this.repository.load(candidacyAggregate, candidacyStream(id));
    // Outside the actor's scope reads as an unknown candidacy: the same 404.
    const notFound = () => new NotFoundError('candidacy', id);
    if (state.status === 'none') throw notFound();
    // A9.1: assigned is not enough; an expert who declared a conflict with a party reads nothing of it.
    const conflicted = await conflictedExperts(this.repository, state, state.experts);
    const conflictedExpertIds = conflicted.filter((e) => e === actor.id);
    assertCanActOrNotFound(
      actor,
      { id, centerId: id, district: state.district, assignedExpertIds: state.experts, conflictedExpertIds },
      'read',
      notFound,
    );
    // objectionKeys and refusedLetterKeys are the duplicate checks' digests of objectors and content,
    // assignedOn the inspection date check's assignment days keyed by expert id (the panel, withheld from
    // some): internal.
    const {
      objectionKeys: _keys,
      refusedLetterKeys: _refusedKeys,
      assignedOn: _assignedOn,
      operatorAccountId,
      ...shown
    } = state;
    // The state keeps objections by id and status: what each says is read from the stream, as loaded.
    const objections =
      Object.keys(state.objections).length === 0
        ? []
        : objectionsOf(await this.store.readStream(candidacyStream(id), { maxCount: version }));
    return {
      ...shown,
      // Which of the center's staff filed it: an expert judges the operating entity (A9.1 conflicts by its
      // name and credit code in facts.operator), not its employee (minimum necessary).
      ...(actor.role === 'expert' ? {} : { operatorAccountId }),
      experts: state.experts.map((e) => expertAsShownTo(actor, e)),
      conflictedExperts: conflictedAsShownTo(actor, conflicted),
      reviews: panelWorkAsShownTo(actor, state.reviews),
      inspections: panelWorkAsShownTo(actor, state.inspections),
      objectionDetails: objectionsAsShownTo(actor, objections, shanghaiToday(this.clock.now())),
      phase: phaseOf(state, conflicted),
      version,
    };
  }
}
