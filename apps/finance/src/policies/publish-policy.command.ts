import type { Actor } from '@nqpf/contracts';

export class PublishPolicyCommand {
  constructor(
    readonly policy: unknown,
    readonly reason: string,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}

export interface PolicyPublishedView {
  version: string;
  effectiveFrom: string;
  /** false when the same version with the same content was published before (a retry). */
  published: boolean;
  streamVersion: number;
}
