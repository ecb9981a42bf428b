/** Events published on nqpf.intake.events. Wire names and versions are stable; see docs/contracts. */
export const IntakeEventTypes = {
  CallOpened: 'intake.call-opened',
  CallClosed: 'intake.call-closed',
} as const;

/** v1. A7: the bureau opens a call for a year with an open and a close date (Asia/Shanghai calendar dates). */
export interface CallOpenedV1 {
  callId: string;
  year: number;
  opensOn: string;
  closesOn: string;
}

/** v1. The bureau closed a call before or at its close date. */
export interface CallClosedV1 {
  callId: string;
  closedOn: string;
}
