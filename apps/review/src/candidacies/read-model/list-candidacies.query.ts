import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '@nqpf/platform';

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

/**
 * The registry's codes (its STANDING_PHASES) for the same phases, also taken by `?phase=` and read as
 * review's own: review answers with its own codes. The registry's `ineligible` and `rejected` are both
 * review's `rejected` (at the eligibility or the objection stage), so neither is an alias.
 */
export const REGISTRY_PHASE_ALIASES: Readonly<Record<string, (typeof CANDIDACY_PHASES)[number]>> = {
  accepted: 'opened',
  not_listed: 'not-listed',
  in_publicity: 'in publicity',
  objection_pending: 'objection pending',
  publicity_passed: 'publicity passed',
  recognised: 'recognized',
};

/** What `?phase=` takes: review's codes, then the registry's for the same phases. */
export const ACCEPTED_PHASES: readonly string[] = [
  ...CANDIDACY_PHASES,
  ...Object.keys(REGISTRY_PHASE_ALIASES),
];

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value;

/** The 400 for any other phase lists what is accepted (as class-validator's own message begins). */
const ACCEPTED_PHASES_TEXT =
  `each value in phase must be one of the following values: ${CANDIDACY_PHASES.join(', ')}, ` +
  `or the registry's codes for the same phases: ${Object.keys(REGISTRY_PHASE_ALIASES).join(', ')}`;

/** A list of phases, the registry's codes read as review's. */
const phaseList = ({ value }: { value: unknown }) => {
  const values = list({ value });
  return Array.isArray(values)
    ? values.map((v) =>
        typeof v === 'string' && Object.hasOwn(REGISTRY_PHASE_ALIASES, v) ? REGISTRY_PHASE_ALIASES[v] : v,
      )
    : values;
};

/** GET /candidacies and GET /experts/me/assignments: filters narrow the actor's scope, never widen it. */
export class ListCandidaciesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'comma-separated', example: 'eligible', enum: CANDIDACY_STATUSES })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsIn(CANDIDACY_STATUSES, { each: true })
  status?: string[];

  @ApiPropertyOptional({
    description:
      "the stage, comma-separated. Review's codes, or the registry's for the same phases (`?phase=` of " +
      "GET /standing), read as review's: " +
      Object.entries(REGISTRY_PHASE_ALIASES)
        .map(([alias, phase]) => `\`${alias}\` = \`${phase}\``)
        .join(', ') +
      ". Rows always say review's code; a space is sent encoded (`in%20publicity`). `rejected` is either stage's rejection (the registry's `ineligible` " +
      'and `rejected`). Any other value: 400 naming `phase` and listing these',
    example: 'reviewed',
    enum: ACCEPTED_PHASES,
  })
  @IsOptional()
  @Transform(phaseList)
  @IsArray()
  @IsIn(CANDIDACY_PHASES, { each: true, message: ACCEPTED_PHASES_TEXT })
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
