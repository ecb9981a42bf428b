import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsObject, Max, Min } from 'class-validator';

export class AssessCenterDto {
  @ApiProperty({ example: 2026, description: 'the past calendar year assessed (A17.1)' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({
    description:
      "{ kind: 'score', indicators: [{ name, score }] } — the scores (0–100 in total, 2 decimals) are graded by the policy bands; " +
      "or { kind: 'direct', grade: 优秀|良好|合格|不合格, reason } — set by the bureau with a written reason",
    examples: {
      score: {
        value: {
          kind: 'score',
          indicators: [
            { name: '服务成效', score: '45.50' },
            { name: '活动组织', score: 40 },
          ],
        },
      },
      direct: { value: { kind: 'direct', grade: '不合格', reason: '全年未按期报送季度报告，活动不足100场' } },
    },
    example: {
      kind: 'score',
      indicators: [
        { name: '服务成效', score: '45.50' },
        { name: '活动组织', score: 40 },
      ],
    },
  })
  @IsObject()
  method!: Record<string, unknown>;
}
