/** Events published on nqpf.finance.events. Wire names and versions are stable; see docs/contracts. */
export const FinanceEventTypes = {} as const;
