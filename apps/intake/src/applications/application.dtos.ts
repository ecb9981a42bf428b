import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

const FACTS_EXAMPLE = {
  premises: { buildingAreaM2: '5200.50' },
  services: [
    'technology_trading',
    'intellectual_property',
    'financial_matching',
    'talent_services',
    'legal_services',
  ],
  functions: ['display', 'interaction', 'trading', 'transformation'],
  functionTags: ['产业创新赋能', '场景示范展示'],
  institutions: [{ name: '吉林大学', kind: 'university', creditCode: '12220000412755832X' }],
  strategicCooperations: [{ partner: '吉林省科学技术厅', level: 'province' }],
  operator: { name: '长春新质生产力运营有限公司', creditCode: '91220101MA0000001X' },
  team: { staffInPost: 12, brokers: { junior: 2, intermediate: 5, senior: 1 } },
  activities: { count: 120, periodFrom: '2025-03-01', periodTo: '2026-02-28' },
};

const MATERIALS_EXAMPLE = [
  {
    kind: 'application_form',
    fileName: '申报表.pdf',
    mediaType: 'application/pdf',
    sizeBytes: 182044,
    sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  },
];

const FACTS_DESCRIPTION =
  'A6 facts: premises.buildingAreaM2 (decimal string, m²), services and functions (codes), institutions ' +
  '(name, kind university|research_institute|enterprise|st_service_org|other, creditCode), strategicCooperations ' +
  '(partner, level national|province|city|district), operator (name, creditCode), team (staffInPost, brokers by ' +
  'level junior|intermediate|senior), activities of the last 12 months (count, periodFrom, periodTo). ' +
  'A bad field is a 400 naming it, e.g. "facts.institutions[3].creditCode".';

const MATERIALS_DESCRIPTION =
  'A8 materials: kind application_form|construction_plan|co_construction_agreement|other, fileName, mediaType, sizeBytes, sha256.';

export class DraftApplicationDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e00-8000-000000000001', description: 'the open call (A7)' })
  @IsString()
  @MinLength(1)
  callId!: string;

  @ApiProperty({ example: '南关区', description: 'the district-level unit of the center (A3)' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  district!: string;

  @ApiProperty({ example: FACTS_EXAMPLE, description: FACTS_DESCRIPTION })
  @IsObject()
  facts!: Record<string, unknown>;

  @ApiProperty({ example: MATERIALS_EXAMPLE, description: MATERIALS_DESCRIPTION })
  @IsArray()
  materials!: unknown[];
}

export class AmendApplicationDto {
  @ApiPropertyOptional({ example: FACTS_EXAMPLE, description: FACTS_DESCRIPTION })
  @IsOptional()
  @IsObject()
  facts?: Record<string, unknown>;

  @ApiPropertyOptional({ example: MATERIALS_EXAMPLE, description: MATERIALS_DESCRIPTION })
  @IsOptional()
  @IsArray()
  materials?: unknown[];

  @ApiPropertyOptional({ example: '朝阳区', description: 'only while a draft (A3)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  district?: string;
}

export class EndorseApplicationDto {
  @ApiPropertyOptional({ example: '同意推荐', description: "the district office's opinion" })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  opinion?: string;
}

export class ReturnApplicationDto {
  @ApiProperty({ example: ['近12个月活动证明材料不足'], description: 'why it is returned; at least one' })
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  reasons!: string[];
}

export class ReturnForSupplementDto extends ReturnApplicationDto {
  @ApiPropertyOptional({
    example: ['construction_plan'],
    description: 'required material kinds missing (A8)',
  })
  @IsOptional()
  @IsArray()
  @IsIn(['application_form', 'construction_plan', 'co_construction_agreement', 'other'], { each: true })
  missing?: string[];
}
