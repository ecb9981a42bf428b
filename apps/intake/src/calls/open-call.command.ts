import type { Actor } from '@nqpf/contracts';

export class OpenCallCommand {
  constructor(
    readonly year: number,
    readonly opensOn: string,
    readonly closesOn: string,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}

export class CloseCallCommand {
  constructor(
    readonly callId: string,
    readonly reason: string | undefined,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
