import type { ApplicationFactsV1 } from '@nqpf/contracts';
import { foldEvents } from '@nqpf/domain';
import { defaultPolicy } from '@nqpf/rules';
import { obligationsDecider } from './obligations.decider';
import { ObligationsCommand, ObligationsEvent } from './obligations.types';

export const policy = defaultPolicy;
/** One policy on every day. */
export const policyOn = () => policy;
export const CENTER = '0190a1b2-0000-7000-8000-000000000001';

/** given(events).when(command) → the events decide returns (or the error it throws). */
export function given(events: ObligationsEvent[]) {
  const state = foldEvents(obligationsDecider, events);
  return { state, when: (command: ObligationsCommand) => obligationsDecider.decide(command, state) };
}

/** Plays commands in order, each on the state the previous ones produced; returns every event. */
export function history(...commands: ObligationsCommand[]): ObligationsEvent[] {
  return commands.reduce<ObligationsEvent[]>((events, c) => [...events, ...given(events).when(c)], []);
}

export const open = (recognizedOn = '2026-03-10', facts?: unknown): ObligationsCommand => ({
  kind: 'open',
  centerId: CENTER,
  district: '朝阳区',
  operatorId: 'op-1',
  recognizedOn,
  // Specs also open on partial or malformed facts, which the decider reads defensively.
  facts: facts as ApplicationFactsV1 | null | undefined,
  policy,
  policyOn,
});

export const quarterly = (
  year: number,
  quarter: number,
  today: string,
  content: Record<string, unknown> = { majorActivities: '路演12场', importantResults: '促成技术合同3项' },
  /** A correction's (a first filing takes none). */
  reason?: string,
): ObligationsCommand => ({
  kind: 'file-report',
  reportKind: 'quarterly',
  year,
  quarter,
  content,
  ...(reason === undefined ? {} : { reason }),
  today,
  policy,
});

export const annual = (year: number, today: string): ObligationsCommand => ({
  kind: 'file-report',
  reportKind: 'annual',
  year,
  content: { targetsMet: '完成', fundsUse: '房租费', problems: '无', nextYearPlan: '扩大路演' },
  today,
  policy,
});

export const deadline = (period: string, today: string): ObligationsCommand => ({
  kind: 'pass-report-deadline',
  period,
  today,
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
