/** Events published on nqpf.reporting.events. Wire names and versions are stable; see docs/contracts. */
export const ReportingEventTypes = {} as const;
