import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const CANDIDACY_STATUSES = [
  'opened',
  'eligible',
  'rejected',
  'listed',
  'not-listed',
  'in-publicity',
  'publicity-ended',
  'recognized',
] as const;

/** phaseOf: the statuses, with eligible split into eligible/reviewed and publicity into its objection state. */
export const CANDIDACY_PHASES = [
  ...CANDIDACY_STATUSES.filter((s) => s !== 'in-publicity' && s !== 'publicity-ended'),
  'reviewed',
  'in publicity',
  'objection pending',
  'publicity passed',
] as const;

/** Digits only ('0x10', '1e1' and ' 16' stay strings and fail @IsInt): as the registry reads them. */
const wholeNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value;

/** Limit/offset paging, at most 200 a page. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  offset?: number;
}

/** GET /candidacies and GET /experts/me/assignments: filters narrow the actor's scope, never widen it. */
export class ListCandidaciesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'comma-separated', example: 'eligible', enum: CANDIDACY_STATUSES })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsIn(CANDIDACY_STATUSES, { each: true })
  status?: string[];

  @ApiPropertyOptional({
    description: 'the stage, comma-separated',
    example: 'reviewed',
    enum: CANDIDACY_PHASES,
  })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsIn(CANDIDACY_PHASES, { each: true })
  phase?: string[];

  @ApiPropertyOptional({ example: '南关区' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  district?: string;

  @ApiPropertyOptional({ description: "the call (A7) applied to, as intake's", example: '0193a1b2-…' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  callId?: string;
}

/** GET /experts/me/assignments: the list filters, and whether the calling expert has recorded a review. */
export class ExpertAssignmentsQuery extends ListCandidaciesQuery {
  @ApiPropertyOptional({
    description: 'true: those you have reviewed (A9.1); false: those still to review',
    enum: ['true', 'false'],
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  reviewed?: 'true' | 'false';
}

export function pageOf(q: PageQuery): { limit: number; offset: number } {
  return { limit: q.limit ?? 50, offset: q.offset ?? 0 };
}
