import type { Actor } from '@nqpf/contracts';

/** What an HTTP request asks of an application; the handler adds the moment, the call and the A8 decision. */
export type ApplicationRequest =
  | { kind: 'draft'; callId: string; district: string; facts: unknown; materials: unknown }
  | { kind: 'amend'; facts?: unknown; materials?: unknown; district?: string }
  | { kind: 'submit' }
  | { kind: 'endorse'; opinion?: string }
  | { kind: 'return-by-district'; reasons: string[] }
  | { kind: 'check-materials' }
  | { kind: 'return-for-supplement'; reasons: string[]; missing?: string[] };

export class ApplicationCommandMessage {
  constructor(
    readonly applicationId: string,
    readonly request: ApplicationRequest,
    readonly actor: Actor,
    readonly correlationId: string,
    /** The version the caller read (If-Match): a change since is a 409, not overwritten. */
    readonly expectedVersion?: number,
  ) {}
}

export interface ApplicationView {
  applicationId: string;
  status: string;
  revision: number;
  version: number;
}
