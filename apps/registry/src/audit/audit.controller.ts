import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import type { Actor } from '@nqpf/contracts';
import { canAccessCenter, CurrentActor, Roles } from '@nqpf/auth';
import { PG_POOL } from '@nqpf/platform';
import { centerDistrict, centerTrail, type TrailLine } from './audit.query';
import { strictQuery } from '../standing/request-params';
import { asShownToTheCenter } from './trail-entry';

/** Who sees decisions exactly as recorded, objectors' names included. */
const FULL_VIEW: readonly string[] = ['city_bureau', 'auditor'];

/** RULES.md "Decisions": who did what to a center, when, why, and by which rules. */
@ApiTags('audit trail (read side)')
@Controller('audit')
export class AuditController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** 404 also when the center is outside the actor's scope: existence is not disclosed. */
  @Get('centers/:centerId')
  @Roles('city_bureau', 'auditor', 'district_office', 'operator')
  async trail(
    @CurrentActor() actor: Actor,
    @Param('centerId') centerId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<{ centerId: string; district: string | null; events: TrailLine[] }> {
    strictQuery(query, []);
    const district = await centerDistrict(this.pool, centerId);
    const events = canAccessCenter(actor, { centerId, district: district ?? undefined })
      ? await centerTrail(this.pool, centerId)
      : [];
    if (events.length === 0)
      throw new NotFoundException(`centerId: no audit trail for center "${centerId}" in your scope`);
    return {
      centerId,
      district,
      events: FULL_VIEW.includes(actor.role) ? events : events.map(asShownToTheCenter),
    };
  }
}
