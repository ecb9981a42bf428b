import type { Actor } from '@nqpf/contracts';
import type { AssessmentMethod } from '../domain/center/center.types';

export class AssessCenterCommand {
  constructor(
    readonly centerId: string,
    readonly year: number,
    readonly method: AssessmentMethod,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}

/** A17.1: the bureau corrects the grade recorded for `year`, saying why (`reason`). */
export class ReviseAssessmentCommand {
  constructor(
    readonly centerId: string,
    readonly year: number,
    readonly method: AssessmentMethod,
    readonly reason: string,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}

export interface AssessmentResult {
  centerId: string;
  status: string;
  version: number;
  recorded: { type: string; payload: unknown }[];
}
