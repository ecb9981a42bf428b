import { GradeV1 } from '@nqpf/contracts';
import { foldEvents } from '@nqpf/domain';
import { decideMajorChange, defaultPolicy } from '@nqpf/rules';
import { centerDecider } from './center.decider';
import { CenterCommand, CenterEvent } from './center.types';

export const policy = defaultPolicy;
export const CENTER = '0190a1b2-0000-7000-8000-000000000002';

export function given(events: CenterEvent[]) {
  const state = foldEvents(centerDecider, events);
  return { state, when: (command: CenterCommand) => centerDecider.decide(command, state) };
}

export function history(...commands: CenterCommand[]): CenterEvent[] {
  return commands.reduce<CenterEvent[]>((events, c) => [...events, ...given(events).when(c)], []);
}

export const track = (recognizedOn = '2026-03-10'): CenterCommand => ({
  kind: 'track',
  centerId: CENTER,
  district: '朝阳区',
  operatorId: 'op-1',
  recognizedOn,
  policy,
});

const compliance = { due: 5, filedOnTime: 4, filedLate: 1, missing: 0 };

/** The bureau's direct grade for a year, assessed in January of the next year. */
export const graded = (year: number, grade: GradeV1): CenterCommand => ({
  kind: 'assess',
  year,
  method: { kind: 'direct', grade, reason: `${year}年度考核意见` },
  activityCount: 120,
  reportCompliance: compliance,
  today: `${year + 1}-02-15`,
  policy,
  recognitionPolicy: policy,
});

export const scored = (year: number, ...scores: (string | number)[]): CenterCommand => ({
  kind: 'assess',
  year,
  method: { kind: 'score', indicators: scores.map((score, i) => ({ name: `indicator ${i + 1}`, score })) },
  activityCount: 101,
  reportCompliance: compliance,
  today: `${year + 1}-02-15`,
  policy,
  recognitionPolicy: policy,
});

/** The bureau corrects the grade of `year` directly, on `today` (default: a month after its assessment). */
export const revisedTo = (
  year: number,
  grade: GradeV1,
  today = `${year + 1}-03-15`,
  reason = '录入错误，按考核结论更正',
): CenterCommand => ({
  kind: 'revise-assessment',
  year,
  method: { kind: 'direct', grade, reason: `${year}年度考核意见（更正）` },
  reason,
  today,
  gradePolicy: policy,
  policy,
});

export function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { field?: string }).field;
  }
  return undefined;
}

/** A16 re-check after the premises shrank to 4 800 m² (A6.1 fails): no longer eligible. */
export const areaShrank = decideMajorChange(
  {
    changes: ['area_changed'],
    factsAfterChange: {
      premises: { buildingAreaM2: '4800.00' },
      services: [],
      functions: [],
      institutions: [],
      strategicCooperations: [],
      team: { staffInPost: 10 },
      activities: { count: 100 },
    },
  },
  policy,
);
