/** Events published on nqpf.review.events. Wire names and versions are stable; see docs/contracts. */
export const ReviewEventTypes = {} as const;
