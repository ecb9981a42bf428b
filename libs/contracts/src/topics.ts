export const SERVICES = ['intake', 'review', 'reporting', 'assessment', 'finance'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** One topic per producing service; keyed by center id so a center's events keep their order. */
export function serviceTopic(service: ServiceName): string {
  return `nqpf.${service}.events`;
}

export function deadLetterTopic(consumerGroup: string): string {
  return `${consumerGroup}.dlt`;
}
