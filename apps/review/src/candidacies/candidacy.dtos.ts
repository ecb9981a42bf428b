import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AssignExpertDto {
  @ApiProperty({ example: 'expert-0007', description: 'a registered expert without a conflict (A9.1)' })
  @IsString()
  @MinLength(1)
  expertId!: string;
}

export class UnassignExpertDto extends AssignExpertDto {
  @ApiProperty({ example: '专家申报与运营主体存在利益关系' })
  @IsString()
  @MinLength(1)
  reason!: string;
}

export class RecordReviewDto {
  @ApiProperty({ example: 86, description: 'review score 0–100' })
  @IsInt()
  @Min(0)
  @Max(100)
  score!: number;

  @ApiProperty({ example: '服务功能齐全，经纪人队伍结构合理' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  opinion!: string;
}

export class RecordSiteInspectionDto {
  @ApiProperty({
    example: '2026-05-12',
    description:
      "the day of the on-site inspection (Asia/Shanghai): from the application's acceptance day and the " +
      "inspecting expert's latest assignment day (A9.1) to today",
  })
  @Matches(DATE, { message: 'inspectedOn must be a date YYYY-MM-DD' })
  inspectedOn!: string;

  @ApiProperty({ example: true })
  @IsBoolean()
  satisfactory!: boolean;

  @ApiProperty({ example: '场地面积与申报一致，展示交易区运行正常' })
  @IsString()
  @MinLength(1)
  finding!: string;
}

/** A9.1: the expert's own review corrected before the listing; the reason says why. */
export class ReviseReviewDto extends RecordReviewDto {
  @ApiProperty({ example: '误将场地面积评分按旧标准计算，现更正' })
  @IsString()
  @MinLength(1)
  reason!: string;
}

/** A9.1: the expert's own site inspection corrected before the listing; the reason says why. */
export class ReviseSiteInspectionDto extends RecordSiteInspectionDto {
  @ApiProperty({ example: '考察日期登记有误，实际为前一日' })
  @IsString()
  @MinLength(1)
  reason!: string;
}

export class DecideListingDto {
  @ApiProperty({ example: 'list-2026-1', description: 'the list (名单) this decision belongs to' })
  @IsString()
  @MinLength(1)
  listId!: string;

  @ApiProperty({ example: true, description: 'on the list (true) or left off it (false, final)' })
  @IsBoolean()
  listed!: boolean;

  @ApiProperty({ example: '专家评审和实地考察均通过' })
  @IsString()
  @MinLength(1)
  reason!: string;
}

export class StartPublicityDto {
  @ApiProperty({ example: '2026-01-30', description: 'publication day; not counted (A9.3)' })
  @Matches(DATE, { message: 'publishedOn must be a date YYYY-MM-DD' })
  publishedOn!: string;
}

export class ObjectorDto {
  @ApiProperty({ example: '张三', description: 'real name (A9.4: anonymous objections are refused)' })
  @IsOptional()
  @IsString()
  name?: string;

  @ApiProperty({ example: '13800000000', description: 'a way to reach the objector' })
  @IsOptional()
  @IsString()
  contact?: string;
}

export class RaiseObjectionDto {
  // Optional here: an objection without an objector is anonymous, which A9.4 refuses (422 naming the rule).
  @ApiProperty({ type: ObjectorDto, required: false })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ObjectorDto)
  objector?: ObjectorDto;

  @ApiProperty({ example: '该中心近一年活动数量与实际不符' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  content!: string;
}

/** A9.4: a written objection the bureau received on paper, entered with the time it was received. */
export class RecordObjectionLetterDto extends RaiseObjectionDto {
  @ApiProperty({
    example: '2026-05-20T16:40:00+08:00',
    description:
      "when the letter was received (the bureau's receipt stamp), with offset; the A9.4 period counts it",
  })
  @IsString()
  receivedAt!: string;

  @ApiProperty({
    example: '长科收〔2026〕118号',
    description: "the letter's number in the incoming-mail register",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reference!: string;
}

export class InvestigateObjectionDto {
  @ApiPropertyOptional({ example: '调取活动台账核查' })
  @IsOptional()
  @IsString()
  note?: string;
}

/** A9.4 / RULES "Decisions": a human decision carries its written reason. */
export class SignAgreementDto {
  @ApiProperty({ example: '公示期满无异议，同意签订共建协议' })
  @IsString()
  @MinLength(1)
  reason!: string;
}

export class RuleOnObjectionDto {
  @ApiProperty({ example: false, description: 'upheld → the application leaves the list (rejected)' })
  @IsBoolean()
  upheld!: boolean;

  @ApiProperty({ example: '经核查活动台账属实，异议不成立' })
  @IsString()
  @MinLength(1)
  reason!: string;
}
