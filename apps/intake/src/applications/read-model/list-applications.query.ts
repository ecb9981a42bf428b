import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '@nqpf/platform';

export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'returned-by-district',
  'endorsed',
  'returned-for-supplement',
  'accepted',
] as const;

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value;

/** GET /applications: filters narrow what the actor's scope allows; they never widen it. Paged (PageQuery). */
export class ListApplicationsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'one status or several, comma-separated',
    example: 'submitted',
    enum: APPLICATION_STATUSES,
  })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsIn(APPLICATION_STATUSES, { each: true })
  status?: string[];

  @ApiPropertyOptional({ example: '南关区', description: 'bureau and auditors: one district' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  district?: string;

  @ApiPropertyOptional({ example: '0193a1b2-…' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  callId?: string;
}
