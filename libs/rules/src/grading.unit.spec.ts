import { decideGrade } from './grading';
import { inputErrorField } from './input-error-field.spec-helper';
import { defaultPolicy } from './policy/policy-registry';

describe('grade from score (A17.1)', () => {
  const decide = (score: unknown) => decideGrade({ score }, defaultPolicy);

  it.each([
    [100, '优秀'],
    [90, '优秀'],
    ['89.99', '良好'],
    [85, '良好'],
    [80, '良好'],
    [79.99, '合格'],
    [60, '合格'],
    ['59.99', '不合格'],
    [0, '不合格'],
  ])('score %s is %s (lower bounds inclusive)', (score, grade) => {
    expect(decide(score).outcome.grade).toBe(grade);
  });

  it('records the normalised score and the band reached', () => {
    const d = decide(85);
    expect(d.inputs).toEqual({ score: '85.00' });
    expect(d.reasons[0]).toMatchObject({
      ruleId: 'A17.1',
      measured: '85.00',
      threshold: '>= 80',
      passed: true,
    });
  });

  it.each([[100.01], [-1], ['85.555'], [null]])('rejects score %s naming the field', (score) => {
    expect(inputErrorField(() => decide(score))).toBe('score');
  });
});
