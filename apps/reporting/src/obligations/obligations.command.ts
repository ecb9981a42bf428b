import type { Actor } from '@nqpf/contracts';

/** What an HTTP request asks of a center's obligations; the handler adds the date and the policy. */
export type ObligationsRequest =
  | { kind: 'declare-operation-start'; startedOn: string }
  | { kind: 'confirm-operation-start'; startedOn?: string; basis: string }
  | {
      kind: 'reject-operation-start';
      startedOn?: string;
      reason: string;
      deadlinePassedAcknowledged?: boolean;
    }
  | {
      kind: 'log-activity';
      type: string;
      heldOn: string;
      title: string;
      participants: number;
      evidenceHash: string;
    }
  | { kind: 'withdraw-activity'; activityId: string; reason: string }
  | {
      kind: 'file-report';
      reportKind: 'quarterly' | 'annual';
      year: number;
      quarter?: number | null;
      content: Record<string, unknown>;
      documentHash?: string | null;
      reason?: string | null;
      supersedesRevision?: number | null;
    }
  | {
      kind: 'report-major-change';
      changes: string[];
      description: string;
      effectiveOn: string;
      newFacts: Record<string, unknown>;
    };

export class ObligationsCommandMessage {
  constructor(
    readonly centerId: string,
    readonly request: ObligationsRequest,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}

export interface ObligationsResult {
  centerId: string;
  status: string;
  version: number;
  /** The id given to a new activity or major change. */
  id?: string;
  /** What the command recorded (type and payload of each new event). */
  recorded: { type: string; payload: unknown }[];
}
