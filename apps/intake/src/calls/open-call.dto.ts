import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class OpenCallDto {
  @ApiProperty({ example: 2026, description: 'the year of the call' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({ example: '2026-03-01', description: 'first day applications are accepted (Asia/Shanghai)' })
  @Matches(DATE, { message: 'opensOn must be a date YYYY-MM-DD' })
  opensOn!: string;

  @ApiProperty({ example: '2026-04-30', description: 'last day applications are accepted, inclusive' })
  @Matches(DATE, { message: 'closesOn must be a date YYYY-MM-DD' })
  closesOn!: string;
}

export class CloseCallDto {
  @ApiPropertyOptional({
    example: '预算调整，提前截止',
    description: 'why the call closes before its window ends (A7); required then, optional after closesOn',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  reason?: string;
}
