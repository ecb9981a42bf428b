import { Body, Controller, Get, Headers, INestApplication, Param, Post, SetMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Actor } from '@nqpf/contracts';
import { NotFoundError } from '@nqpf/domain';
import { IsString, MaxLength } from 'class-validator';
import { AccessTarget } from '../access/access-target';
import { AuthLogger } from '../access/denial-log';
import { assertCanActOrNotFound } from '../access/object-access';
import { matchesScope, ScopeFilter, scopeFilter } from '../access/scope-filter';
import { AuthConfig } from '../config/auth-config';
import { DEFAULT_SECURITY_CONFIG, SecurityConfig } from '../config/security-config';
import { applySecurity } from '../nest/apply-security';
import { AuthModule } from '../nest/auth.module';
import {
  AllowBodyFields,
  CurrentActor,
  Public,
  RateLimited,
  ReadOnlyAction,
  Roles,
  SkipRateLimit,
  TAKES_IF_MATCH,
} from '../nest/decorators';
import { RateLimitModule } from '../nest/rate-limit.module';

export interface CenterRow extends AccessTarget {
  id: string;
  name: string;
  district: string;
  centerId: string;
}

/** An in-memory repository that applies the scope filter as a WHERE clause would. */
export class FakeCenterRepository {
  constructor(readonly rows: CenterRow[]) {}
  find(id: string): CenterRow {
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw new NotFoundError('center', id);
    return row;
  }
  list(filter: ScopeFilter): CenterRow[] {
    return this.rows.filter((r) => matchesScope(filter, r));
  }
}

export const CENTERS: CenterRow[] = [
  { id: 'center-a', centerId: 'center-a', name: 'A', district: '南关区', assignedExpertIds: ['expert-1'] },
  { id: 'center-b', centerId: 'center-b', name: 'B', district: '高新区', conflictedExpertIds: ['expert-1'] },
  { id: 'center-c', centerId: 'center-c', name: 'C', district: '南关区', assignedExpertIds: ['expert-2'] },
];

class NoteDto {
  @IsString()
  @MaxLength(200)
  text!: string;
}

class ObjectionDto {
  @IsString()
  name!: string;
  @IsString()
  contact!: string;
}

class DraftDto {
  @IsString()
  title!: string;
  @IsString()
  district!: string;
}

const repository = new FakeCenterRepository(CENTERS);

/** The operational routes, marked on the controller as libs/platform's HealthController and MetricsController. */
@Public()
@SkipRateLimit()
@Controller()
class OperationsController {
  @Get('health') health() {
    return { status: 'ok' };
  }
  @Get('health/live') live() {
    return { status: 'ok', live: true };
  }
  @Get('metrics') metrics() {
    return 'metrics';
  }
}

@Controller()
class TestController {
  @Public() @Get('docs') docs() {
    return 'docs';
  }
  @Public() @Get('published-list') publishedList(@CurrentActor('optional') actor?: Actor) {
    return { viewer: actor?.id ?? null };
  }
  @Public() @Post('objections') object(@Body() body: ObjectionDto) {
    return { received: body.name };
  }

  @Roles('city_bureau', 'district_office', 'operator', 'expert', 'finance_officer', 'auditor')
  @Get('whoami')
  whoami(@CurrentActor() actor: Actor) {
    return actor;
  }

  @Roles('city_bureau', 'district_office', 'operator', 'expert', 'auditor')
  @Get('centers')
  list(@CurrentActor() actor: Actor) {
    return repository.list(scopeFilter(actor)).map((c) => c.id);
  }

  @Roles('city_bureau', 'district_office', 'operator', 'expert', 'auditor')
  @Get('centers/:id')
  get(@Param('id') id: string, @CurrentActor() actor: Actor) {
    const center = repository.find(id);
    assertCanActOrNotFound(actor, center, 'read', () => new NotFoundError('center', id));
    return center;
  }

  @Roles('city_bureau', 'district_office', 'operator', 'auditor')
  @Post('centers/:id/notes')
  note(@Param('id') id: string, @Body() body: NoteDto, @CurrentActor() actor: Actor) {
    assertCanActOrNotFound(actor, repository.find(id), 'write', () => new NotFoundError('center', id));
    return { noted: body.text, by: actor.id };
  }

  @Roles('city_bureau', 'operator')
  @AllowBodyFields('district')
  @Post('drafts')
  draft(@Body() body: DraftDto) {
    return body;
  }

  @Roles('finance_officer')
  @Post('disbursements')
  disburse() {
    return { ok: true };
  }

  /** Checks the version in If-Match, marked as libs/platform's @TakesIfMatch() and @IfMatch() mark it. */
  @Roles('finance_officer')
  @SetMetadata(TAKES_IF_MATCH, true)
  @Post('disbursements/:id/revision')
  revise(@Param('id') id: string) {
    return { revised: id };
  }

  /** Reads If-Match itself. */
  @Roles('finance_officer')
  @Post('disbursements/:id/withdrawal')
  withdraw(@Param('id') id: string, @Headers('If-Match') ifMatch?: string) {
    return { withdrawn: id, ifMatch };
  }

  @Roles('auditor', 'city_bureau')
  @ReadOnlyAction()
  @Post('audit/replay')
  replay() {
    return { replayed: true };
  }

  @Roles('city_bureau')
  @RateLimited()
  @Get('exports')
  export() {
    return { ok: true };
  }

  @Get('forgotten-roles')
  forgotten() {
    return { ok: true };
  }

  @Roles('city_bureau')
  @Get('boom')
  boom(): never {
    throw new Error('database password is hunter2');
  }
}

export async function buildTestApp(
  auth: AuthConfig,
  logger: AuthLogger,
  security: Partial<SecurityConfig> = {},
): Promise<INestApplication> {
  const config = { ...DEFAULT_SECURITY_CONFIG, ...security };
  const moduleRef = await Test.createTestingModule({
    imports: [AuthModule.forRoot(auth, { logger }), RateLimitModule.forRoot(config)],
    controllers: [OperationsController, TestController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  applySecurity(app, config, logger);
  await app.init();
  return app;
}
