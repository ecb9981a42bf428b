import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ACTIVITY_TYPES_V1, MAJOR_CHANGE_KINDS_V1 } from '@nqpf/contracts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;

export class DeclareOperationStartDto {
  @ApiProperty({ example: '2026-06-01', description: '投入运营: the day operation started (Asia/Shanghai)' })
  @Matches(DATE, { message: 'startedOn must be a date YYYY-MM-DD' })
  startedOn!: string;
}

/** The declared start the district office or the bureau read; another declared since is a 409 (not judged unseen). */
export class JudgeOperationStartDto {
  @ApiPropertyOptional({
    example: '2026-05-01',
    description: 'the declared startedOn the office or the bureau judges',
  })
  @IsOptional()
  @Matches(DATE, { message: 'startedOn must be a date YYYY-MM-DD' })
  startedOn?: string;
}

export class ConfirmOperationStartDto extends JudgeOperationStartDto {
  @ApiProperty({
    example: '2026-05-06 现场核查：服务大厅开放，运营团队12人在岗（核查记录 NG-2026-031）',
    description:
      'what the confirmation rests on, in writing: a site check, a document reference (400 naming basis when missing or blank)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  basis!: string;
}

export class RejectOperationStartDto extends JudgeOperationStartDto {
  @ApiProperty({
    example: '现场核查未见运营团队在岗',
    description: 'the written reason of the district office or the bureau',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason!: string;

  @ApiPropertyOptional({
    description:
      'true to reject after the A17.3a deadline, which records it passed and revokes the center (422 without)',
  })
  @IsOptional()
  @IsBoolean()
  deadlinePassedAcknowledged?: boolean;
}

export class WithdrawActivityDto {
  @ApiProperty({ example: '与3月12日路演重复登记', description: 'why the activity should not count (A6.5)' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason!: string;
}

/** GET activities: a year as the assessment counts activities (A6.5); none, every year. */
export class ListActivitiesQuery {
  @ApiPropertyOptional({
    example: '2026',
    description:
      'only the activities held in this calendar year (YYYY), as the annual assessment counts them (A6.5); without it, every year',
  })
  @IsOptional()
  @Matches(/^\d{4}$/, {
    message: 'year must be a calendar year YYYY (A6.5 counts activities by the year held)',
  })
  year?: string;
}

export class LogActivityDto {
  @ApiProperty({
    enum: ACTIVITY_TYPES_V1,
    example: 'roadshow',
    description: 'A6.5: roadshow 路演, matchmaking 合作对接, visit 参观考察, other',
  })
  @IsIn(ACTIVITY_TYPES_V1)
  type!: string;

  @ApiProperty({ example: '2026-05-20' })
  @Matches(DATE, { message: 'heldOn must be a date YYYY-MM-DD' })
  heldOn!: string;

  @ApiProperty({ example: '新材料项目路演' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title!: string;

  @ApiProperty({ example: 40 })
  @IsInt()
  @Min(0)
  participants!: number;

  @ApiProperty({
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    description: 'SHA-256 of the evidence',
  })
  @Matches(SHA256, { message: 'evidenceHash must be a SHA-256 hash (64 hexadecimal characters)' })
  evidenceHash!: string;
}

export class FileReportDto {
  @ApiProperty({
    enum: ['quarterly', 'annual'],
    example: 'quarterly',
    description: 'A14 quarterly or A15 annual',
  })
  @IsIn(['quarterly', 'annual'])
  kind!: 'quarterly' | 'annual';

  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiPropertyOptional({ example: 2, description: '1–4, for a quarterly report only' })
  @IsOptional()
  @IsInt()
  quarter?: number;

  @ApiProperty({
    example: { majorActivities: '举办路演12场', importantResults: '促成技术合同3项' },
    description:
      'quarterly: majorActivities, importantResults; annual: targetsMet, fundsUse, problems, nextYearPlan; ' +
      'each a non-empty text of at most 20 000 characters (this route takes bodies up to 512 kB)',
  })
  @IsObject()
  content!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'SHA-256 of the signed report document' })
  @IsOptional()
  @Matches(SHA256, { message: 'documentHash must be a SHA-256 hash (64 hexadecimal characters)' })
  documentHash?: string;

  @ApiPropertyOptional({
    example: '补充第二季度成果数据',
    description:
      'why a correction supersedes the filed report: required when the report is filed again (400 naming reason when missing or blank), refused on a first filing',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  reason?: string;

  @ApiPropertyOptional({
    example: 1,
    description:
      'the revision you read (0: none filed yet): if the report was filed again since, this is a 409 instead of superseding it',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  supersedesRevision?: number;
}

export class ReportMajorChangeDto {
  @ApiProperty({ enum: MAJOR_CHANGE_KINDS_V1, isArray: true, example: ['area_changed'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(MAJOR_CHANGE_KINDS_V1, { each: true })
  changes!: string[];

  @ApiProperty({ example: '产权单位收回部分楼层，场地面积调整为4800平方米' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  description!: string;

  @ApiProperty({ example: '2027-04-01' })
  @Matches(DATE, { message: 'effectiveOn must be a date YYYY-MM-DD' })
  effectiveOn!: string;

  @ApiProperty({
    example: { premises: { buildingAreaM2: '4800.00' } },
    description:
      'the art. 6 facts that changed, in the shape of the application facts (unknown ones refused); merged ' +
      'into the facts on effectiveOn group by group (a group changes the fields it gives, a list is given whole); ' +
      'every fact art. 6 reads must be known after the merge; a direction_changed alone may send {}; ' +
      'premises.buildingAreaM2 is a decimal string of m² with up to two places, as at intake (a JSON number is a 400)',
  })
  @IsObject()
  newFacts!: Record<string, unknown>;
}
