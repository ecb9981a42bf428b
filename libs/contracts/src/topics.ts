export const SERVICES = ['intake', 'review', 'reporting', 'assessment', 'finance'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * One topic per producing service; keyed by center id so a center's events keep their order.
 * The prefix (default `nqpf`) lets tests and parallel environments keep topics of their own.
 */
export function serviceTopic(service: ServiceName, prefix = 'nqpf'): string {
  return `${prefix}.${service}.events`;
}

export function deadLetterTopic(consumerGroup: string): string {
  return `${consumerGroup}.dlt`;
}
