import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AmountDto } from '../api/money.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EVIDENCE = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

export class CostItemDto extends AmountDto {
  @ApiProperty({ example: '房租费', description: 'an A13 cost category (code or Chinese term)' })
  @IsString()
  category!: string;

  @ApiProperty({ example: EVIDENCE, description: 'SHA-256 of the evidence document (64 lowercase hex)' })
  @IsString()
  evidenceHash!: string;

  @ApiPropertyOptional({ example: '2026 rent of the service hall' })
  @IsOptional()
  @IsString()
  description?: string;
}

/**
 * A12.2: the operator declares its year-1 construction and operating costs, with evidence; declared again
 * before the bureau decides, the new declaration names the pending one it replaces and says why.
 */
export class DeclareYear1CostsDto {
  @ApiProperty({ type: [CostItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => CostItemDto)
  items!: CostItemDto[];

  @ApiPropertyOptional({
    example: '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b',
    description:
      'the pending declaration this one replaces, as read from the account (years[0].pendingDeclaration): required when a declaration is pending (400 naming replacesDeclarationId when missing or blank), refused on a first declaration; another declared since is a 409 naming the pending one',
  })
  @IsOptional()
  @IsString()
  replacesDeclarationId?: string;

  @ApiPropertyOptional({
    example: '漏报设备安装费，补充发票3张',
    description:
      'why this declaration replaces the pending one: required when a declaration is pending (400 naming reason when missing or blank), refused on a first declaration',
  })
  @IsOptional()
  @IsString()
  reason?: string;
}

/** A12.2: the bureau approves the declared costs, less only with a reason. */
export class ApproveYear1CostsDto {
  @ApiProperty({
    example: '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b',
    description:
      'the pending declaration the bureau read and approves; one the operator replaced since is a 409 naming the pending one',
  })
  @IsString()
  declarationId!: string;

  @ApiPropertyOptional({ example: '400000000', oneOf: [{ type: 'string' }, { type: 'integer' }] })
  @IsOptional()
  approvedFen?: string | number;

  @ApiPropertyOptional({ example: '4000000.00', oneOf: [{ type: 'string' }, { type: 'integer' }] })
  @IsOptional()
  approvedYuan?: string | number;

  @ApiPropertyOptional({ example: 'equipment invoice 17 is not a year-1 cost' })
  @IsOptional()
  @IsString()
  reason?: string;
}

/** A12.2, a correction: the bureau approves the costs again, with why its approval was wrong. */
export class ReviseYear1ApprovalDto {
  @ApiProperty({ example: '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b' })
  @IsString()
  declarationId!: string;

  @ApiPropertyOptional({ example: '80000000', oneOf: [{ type: 'string' }, { type: 'integer' }] })
  @IsOptional()
  approvedFen?: string | number;

  @ApiPropertyOptional({ example: '800000.00', oneOf: [{ type: 'string' }, { type: 'integer' }] })
  @IsOptional()
  approvedYuan?: string | number;

  @ApiProperty({ example: 'approved 80 000.00 keyed for 800 000.00 (minutes of 2026-05-01)' })
  @IsString()
  reason!: string;
}

export class DisbursementDto extends AmountDto {
  @ApiProperty({ example: 2, description: 'support year 1..3 (A12.1)' })
  @IsInt()
  @Min(1)
  @Max(10)
  supportYear!: number;

  @ApiProperty({
    example: 'treasury voucher 2027-0042',
    description:
      'the payment voucher or treasury reference of the payment (400 naming reference when missing or blank); the same voucher, amount and support year twice is a 422',
  })
  @IsString()
  reference!: string;

  @ApiPropertyOptional({
    example: '2027-03-02',
    description:
      "the day the treasury paid (from the recognition to today, not before the year's grant was decided: 422 A12); default today. After a revocation, on or before the revocation day",
  })
  @IsOptional()
  @Matches(DATE, { message: 'disbursedOn must be a date YYYY-MM-DD' })
  disbursedOn?: string;

  @ApiPropertyOptional({
    example: true,
    description:
      "true to record a payment dated after the A17.3a revocation day — from the center's operating deadline + 2, with no operation start in time (recognition is then revoked on the deadline + 1 and support paid after that day is to be recovered): the disbursement records the check and the acknowledgement. Without it such a payment is a 422 A17.3a naming this field, operatingDeadline and operationStartedOn; paid on the deadline or the day after it needs none (recorded false: it is true only on a payment that needed it)",
  })
  @IsOptional()
  @IsBoolean()
  deadlinePassedAcknowledged?: boolean;
}

/** A13: the operator records spending of disbursed funds; the A13 decision is recorded either way. */
export class ExpenditureDto extends AmountDto {
  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  @Max(10)
  supportYear!: number;

  @ApiProperty({ example: '房租费', description: 'an A13 category; forbidden uses (赞助, …) are rejected' })
  @IsString()
  category!: string;

  @ApiProperty({ example: EVIDENCE })
  @IsString()
  evidenceHash!: string;

  @ApiProperty({
    example: '2027-05-10',
    description:
      "the day spent (Asia/Shanghai): outside the support year's calendar year, or after today, the spending is rejected under A13 (A13:withinSupportYear) and recorded; a malformed date is a 400",
  })
  @Matches(DATE, { message: 'spentOn must be a date YYYY-MM-DD' })
  spentOn!: string;

  @ApiPropertyOptional({ example: 'May rent' })
  @IsOptional()
  @IsString()
  description?: string;
}

export class ReplacementDto extends AmountDto {
  @ApiProperty({ enum: ['disbursement', 'expenditure'], example: 'disbursement' })
  @IsIn(['disbursement', 'expenditure'])
  kind!: 'disbursement' | 'expenditure';

  @ApiPropertyOptional({
    example: '2027-03-01',
    description:
      "disbursement: the date it was paid, not before the year's grant was decided; after a revocation, on the same side of the revocation day as the payment it replaces",
  })
  @IsOptional()
  @Matches(DATE, { message: 'replacement.disbursedOn must be a date YYYY-MM-DD' })
  disbursedOn?: string;

  @ApiPropertyOptional({
    example: 'treasury voucher 2027-0042',
    description:
      'disbursement: its voucher; left out (or null), the voucher of the payment it replaces (required when that one has none: 400 naming replacement.reference); given blank, a 400 naming replacement.reference. The voucher, amount and support year of another payment still standing is a 422 A12, as for a direct disbursement',
  })
  @IsOptional()
  @IsString()
  reference?: string;

  @ApiPropertyOptional({
    example: true,
    description:
      'disbursement: as on a direct disbursement, for a replacement dated from the A17.3a operating deadline + 2 with no start in time (422 A17.3a naming replacement.deadlinePassedAcknowledged without it)',
  })
  @IsOptional()
  @IsBoolean()
  deadlinePassedAcknowledged?: boolean;

  @ApiPropertyOptional({ example: '房租费', description: 'expenditure only' })
  @IsOptional()
  @IsString()
  category?: string;

  @ApiPropertyOptional({ example: EVIDENCE, description: 'expenditure only' })
  @IsOptional()
  @IsString()
  evidenceHash?: string;

  @ApiPropertyOptional({ example: '2027-05-10', description: 'expenditure only' })
  @IsOptional()
  @Matches(DATE, { message: 'replacement.spentOn must be a date YYYY-MM-DD' })
  spentOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;
}

/** No edits: a reversing entry with the reason, optionally the corrected entry. */
export class CorrectionDto {
  @ApiProperty({ example: '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b', description: 'the entry to reverse' })
  @IsString()
  reversesEntryId!: string;

  @ApiProperty({ example: 'amount keyed wrongly: voucher says 400000.00' })
  @IsString()
  @MinLength(1)
  reason!: string;

  @ApiPropertyOptional({ type: ReplacementDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReplacementDto)
  replacement?: ReplacementDto;
}
