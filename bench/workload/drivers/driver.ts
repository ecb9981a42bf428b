import type { Step } from '../steps';

/** What a driver hands back: the command's reply (the fields later steps may save). */
export interface Reply {
  callId?: string;
  recorded?: { payload?: { declarationId?: string } }[];
}

/** A refused command, with the HTTP status the API gives (or would give) it. */
export class StepRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs one step, its body's `$var:` references already resolved. */
export interface Driver {
  name: string;
  execute(step: Step, body: Record<string, unknown> | undefined): Promise<Reply>;
}
