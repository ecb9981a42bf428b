import type { Registry } from 'prom-client';
import type { OutboxRelay } from '@nqpf/event-store';
import { registerSqlGauge } from '../sql-gauge';

/**
 * `outbox_backlog` and `outbox_oldest_unpublished_seconds`, read from the store at each scrape: no sample
 * while the database cannot tell (registerSqlGauge) — not 0 on a replica that has not read them yet, nor the
 * last value read, which would stay below or above an alert's threshold however long the outage lasts.
 */
export function registerOutboxGauges(
  registry: Registry,
  relay: Pick<OutboxRelay, 'backlog' | 'oldestUnpublishedSeconds'>,
): void {
  registerSqlGauge(registry, {
    name: 'outbox_backlog',
    help: 'events stored but not yet acknowledged by Kafka',
    read: () => relay.backlog(),
  });
  registerSqlGauge(registry, {
    name: 'outbox_oldest_unpublished_seconds',
    help: 'age of the oldest event stored but not yet acknowledged by Kafka; 0 when none',
    read: () => relay.oldestUnpublishedSeconds(),
  });
}
