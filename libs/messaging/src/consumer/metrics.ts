import { Counter, Gauge, Registry, register as defaultRegistry } from 'prom-client';
import { DEAD_LETTER_REASONS } from './dead-letter';

/**
 * Metrics are registered once per registry and shared by every consumer in the process (labelled by
 * group), since prom-client refuses a second metric of the same name.
 */
function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<string>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string, labelNames: string[]): Gauge<string> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<string>;
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

export interface ConsumerMetrics {
  handled: Counter<string>;
  duplicates: Counter<string>;
  deadLettered: Counter<string>;
  failedAttempts: Counter<string>;
  waits: Counter<string>;
  lag: Gauge<string>;
}

export function consumerMetrics(registry: Registry = defaultRegistry): ConsumerMetrics {
  return {
    handled: counter(registry, 'nqpf_consumer_handled_total', 'Events handled with effect.', [
      'group',
      'topic',
    ]),
    duplicates: counter(
      registry,
      'nqpf_consumer_duplicates_total',
      'Redelivered events skipped by the inbox.',
      ['group', 'topic'],
    ),
    deadLettered: counter(
      registry,
      'nqpf_consumer_dead_lettered_total',
      'Records sent to the dead-letter topic.',
      ['group', 'topic', 'reason'],
    ),
    failedAttempts: counter(registry, 'nqpf_consumer_failed_attempts_total', 'Handler attempts that threw.', [
      'group',
      'topic',
    ]),
    waits: counter(
      registry,
      'nqpf_consumer_waits_total',
      'Handler runs that waited for what passes by itself (NotReadyYet, a conflict); not attempts.',
      ['group', 'topic'],
    ),
    lag: gauge(registry, 'nqpf_consumer_lag', 'High watermark minus committed offset, per partition.', [
      'group',
      'topic',
      'partition',
    ]),
  };
}

/**
 * Exposes a consumer's counters at 0 for its group and each of its topics (the dead letters for every
 * reason) before anything happens. A counter series that first appears at 1 has no increase() in
 * Prometheus, so without this the first dead letter of a pod would raise no alert (NqpfDeadLettered).
 * The lag gauge is per partition, known only once assigned: it gets no made-up series.
 */
export function initConsumerSeries(metrics: ConsumerMetrics, group: string, topics: readonly string[]): void {
  for (const topic of topics) {
    for (const counter of [metrics.handled, metrics.duplicates, metrics.failedAttempts, metrics.waits])
      counter.inc({ group, topic }, 0);
    for (const reason of DEAD_LETTER_REASONS) metrics.deadLettered.inc({ group, topic, reason }, 0);
  }
}

export function checkpointAgeGauge(registry: Registry = defaultRegistry): Gauge<string> {
  return gauge(
    registry,
    'nqpf_projection_checkpoint_age_seconds',
    'Seconds between now and the recording time of the last event applied, while the projection lags; 0 when caught up.',
    ['projection'],
  );
}

export { Registry };
