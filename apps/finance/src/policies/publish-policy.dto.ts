import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString, MinLength } from 'class-validator';
import { DEFAULT_POLICY, POLICY_VERSION_RULE } from '@nqpf/rules';

export class PublishPolicyDto {
  @ApiProperty({
    description: `the whole policy version (A12, A13 parameters and the rest of the open numbers); validated field by field, 422 names the field. version: ${POLICY_VERSION_RULE}`,
    example: { ...DEFAULT_POLICY, version: 'policy-2027.1', effectiveFrom: '2027-01-01' },
  })
  @IsObject()
  policy!: Record<string, unknown>;

  @ApiProperty({ example: '2027 budget: base of the post-subsidy raised', description: 'why it changes' })
  @IsString()
  @MinLength(1)
  reason!: string;
}
