import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsArray, IsObject, IsOptional, IsString, MinLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { CurrentActor, ForbiddenError, Roles, scopeFilter } from '@nqpf/auth';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { NotFoundError } from '@nqpf/domain';
import {
  AggregateRepository,
  Clock,
  CONFIG,
  CorrelationId,
  pageOf,
  PG_POOL,
  readDistrictFilter,
  UnitOfWork,
} from '@nqpf/platform';
import type { ReviewConfig } from '../config';
import { ExpertCommand, expertDecider } from '../domain/expert/expert.decider';
import { listCandidacyRows } from '../candidacies/read-model/candidacy-rows';
import { CandidaciesProjection } from '../candidacies/read-model/candidacies.projection';
import { ExpertAssignmentsQuery } from '../candidacies/read-model/list-candidacies.query';
import { panelsAsShownTo } from '../candidacies/panel-view';
import { expertStream } from '../candidacies/streams';
import { lockExperts } from './expert-locks';

export class RegisterExpertDto {
  @ApiProperty({ example: '李四' })
  @IsString()
  @MinLength(1)
  name!: string;

  @ApiProperty({ example: ['技术转移', '知识产权'] })
  @IsArray()
  @IsString({ each: true })
  specialties!: string[];
}

export class InstitutionDto {
  @ApiProperty({ example: '吉林大学' })
  @IsString()
  @MinLength(1)
  name!: string;

  @ApiPropertyOptional({ example: '12220000412755832X' })
  @IsOptional()
  @IsString()
  creditCode?: string;
}

export class DeclareConflictDto {
  @ApiProperty({ type: InstitutionDto })
  @IsObject()
  @ValidateNested()
  @Type(() => InstitutionDto)
  institution!: InstitutionDto;

  @ApiProperty({ example: '近三年在该单位兼职' })
  @IsString()
  @MinLength(1)
  reason!: string;
}

/** A9.1: the bureau registers experts; an expert declares their own conflicts of interest. */
@ApiTags('experts (A9.1)')
@ApiBearerAuth()
@ApiConflictResponse({ description: 'already registered, or the conflict is already declared' })
@Controller('experts')
export class ExpertsController {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly candidacies: CandidaciesProjection,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Pick<ReviewConfig, 'NQPF_DISTRICT_UNITS'>,
  ) {}

  /** A declared conflict and its effect on the expert's assignment list commit together. */
  private run(expertId: string, command: ExpertCommand, actor: Actor, cid?: string) {
    return this.uow.run(async (tx) => {
      // Waits for a candidacy command reading this expert's conflicts, so that its row is found below.
      if (command.kind === 'declare-conflict') await lockExperts(tx, [expertId]);
      const { state, version } = await this.repository.execute(
        expertDecider,
        expertStream(expertId),
        command,
        {
          actor,
          correlationId: cid ?? uuidv7(),
          occurredAt: this.clock.now().toISOString(),
        },
      );
      if (command.kind === 'declare-conflict') await this.candidacies.expertDeclaredConflict(tx, expertId);
      return { expertId, status: state.status, version };
    });
  }

  /** A9.1: the calling expert's own record: name, specialties and the conflicts they declared. */
  @Get('me')
  @Roles('expert')
  @ApiOkResponse({
    description: 'the expert as registered, with every conflict of interest declared',
    schema: {
      example: {
        expertId: 'expert-0007',
        name: '李四',
        specialties: ['技术转移'],
        conflicts: [{ name: '吉林大学', creditCode: '12220000412755832X' }],
        version: 2,
      },
    },
  })
  async me(@CurrentActor() actor: Actor) {
    const { state, version } = await this.repository.load(expertDecider, expertStream(actor.id));
    if (state.status === 'none') throw new NotFoundError('registered expert', actor.id);
    const { status: _status, ...expert } = state;
    return { ...expert, version };
  }

  /** A9.1: the applications assigned to the calling expert, except those they declared a conflict with. */
  @Get('me/assignments')
  @Roles('expert')
  @ApiOkResponse({
    description: 'one page of candidacies, oldest change first (same items as GET /candidacies)',
    schema: {
      example: {
        total: 1,
        limit: 50,
        offset: 0,
        items: [{ applicationId: '0193a1b2-…', phase: 'eligible' }],
      },
    },
  })
  async assignments(@Query() q: ExpertAssignmentsQuery, @CurrentActor() actor: Actor) {
    const page = pageOf(q);
    const units = this.config.NQPF_DISTRICT_UNITS;
    const district = await readDistrictFilter(this.pool, q.district, units, 'review.candidacies');
    const reviewedBy = q.reviewed && { expertId: actor.id, reviewed: q.reviewed === 'true' };
    const filter = { status: q.status, phase: q.phase, district, callId: q.callId, reviewedBy };
    const rows = await listCandidacyRows(this.pool, scopeFilter(actor), filter, page);
    // As GET /candidacies shows them: the other panel members withheld (A9.1, each judges on their own).
    return { ...rows, items: panelsAsShownTo(actor, rows.items), ...page };
  }

  @Post(':expertId')
  @Roles('city_bureau')
  @ApiOkResponse({
    description: 'registered',
    schema: { example: { expertId: 'expert-0007', status: 'registered', version: 1 } },
  })
  register(
    @Param('expertId') expertId: string,
    @Body() b: RegisterExpertDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    const at = this.clock.now().toISOString();
    return this.run(
      expertId,
      { kind: 'register', expertId, name: b.name, specialties: b.specialties, at },
      a,
      c,
    );
  }

  @Post(':expertId/conflicts')
  @HttpCode(200)
  @Roles('expert')
  @ApiOkResponse({
    description: 'conflict declared',
    schema: { example: { expertId: 'expert-0007', status: 'registered', version: 2 } },
  })
  declare(
    @Param('expertId') expertId: string,
    @Body() b: DeclareConflictDto,
    @CurrentActor() a: Actor,
    @CorrelationId() c?: string,
  ) {
    // Another expert's id (`self`): a 403 logged as every denial (access_denied), by the security filter.
    if (a.id !== expertId)
      throw new ForbiddenError('an expert declares only their own conflicts', {
        actorId: a.id,
        role: a.role,
        objectId: expertId,
      });
    const at = this.clock.now().toISOString();
    return this.run(
      expertId,
      { kind: 'declare-conflict', institution: b.institution, reason: b.reason, at },
      a,
      c,
    );
  }
}
