import type { Role } from '@nqpf/contracts';

export type Service = 'intake' | 'review' | 'reporting' | 'assessment' | 'finance';

/** Who acts: becomes a development token (HTTP driver) or an Actor (direct driver). */
export interface ActorSpec {
  role: Role;
  sub: string;
  district?: string;
  centerId?: string;
}

/** Every public write the workload uses; ./routes.ts maps each to its HTTP route and controller method. */
export type StepKind =
  | 'register-expert'
  | 'open-call'
  | 'draft'
  | 'submit'
  | 'endorse'
  | 'accept'
  | 'assign-expert'
  | 'review'
  | 'inspect'
  | 'listing'
  | 'publicity'
  | 'sign'
  | 'operation-start'
  | 'confirm-start'
  | 'activity'
  | 'report'
  | 'assess'
  | 'declare-year1-costs'
  | 'approve-year1-costs'
  | 'disburse'
  | 'expenditure';

/**
 * One command of the scenario, on a simulated Asia/Shanghai day. `target` is the path id (center, expert,
 * or none). A body value `$var:<key>` is replaced by what an earlier step saved under <key> from its reply
 * (ids the services mint: a call's id, a year-1 declaration's id).
 */
export interface Step {
  day: string;
  kind: StepKind;
  target: string | null;
  /** The center whose life this step belongs to (steps of one center run in order). */
  centerId: string | null;
  actor: ActorSpec;
  body?: Record<string, unknown>;
  save?: { key: string; from: 'callId' | 'declarationId' };
}
