import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsObject, IsString, Max, Min } from 'class-validator';

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

/**
 * A17.1, a correction: the grade recorded for the path's year, replaced. `method` as an assessment takes it;
 * `reason` is why the recorded grade was wrong (checked by the domain: a 400 naming it when missing or blank).
 */
export class ReviseAssessmentDto {
  @ApiProperty({
    example: '录入错误：考核结论为合格，误录为不合格',
    description: 'why the recorded grade is corrected, in writing (required, A17.1)',
  })
  @IsString({ message: 'reason: A17.1: a grade is corrected only with a written reason' })
  reason!: string;

  @ApiProperty({
    description:
      "the corrected grade, as an assessment takes it: { kind: 'direct', grade, reason } (the grade's own written " +
      "reason) or { kind: 'score', indicators: [{ name, score }] }, graded by the bands in force on the day the year " +
      'was assessed',
    example: { kind: 'direct', grade: '合格', reason: '全年活动126场，报告按期报送' },
  })
  @IsObject()
  method!: Record<string, unknown>;
}
