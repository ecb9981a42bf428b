import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'returned-by-district',
  'endorsed',
  'returned-for-supplement',
  'accepted',
] as const;

/** Digits only ('0x10', '1e1' and ' 16' stay strings and fail @IsInt): as the registry reads them. */
const wholeNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value;

/** GET /applications: filters narrow what the actor's scope allows; they never widen it. */
export class ListApplicationsQuery {
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
