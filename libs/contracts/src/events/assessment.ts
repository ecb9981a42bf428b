/** Events published on nqpf.assessment.events. Wire names and versions are stable; see docs/contracts. */
export const AssessmentEventTypes = {} as const;
