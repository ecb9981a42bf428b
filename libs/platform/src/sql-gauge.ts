import { Gauge, type MetricValue, type Registry } from 'prom-client';
import type { Queryable } from '@nqpf/event-store';

/** Long enough for a count on a healthy database, well inside Prometheus' 10 s scrape timeout. */
export const SQL_GAUGE_TIMEOUT_MS = 2_000;

/** One series of a gauge read from the database at each scrape. */
export interface SqlGauge {
  name: string;
  help: string;
  /**
   * The series' labels, if the gauge has any. Registered again under the same name with other values of
   * the same labels, the gauge gains a series (`parked_events{schema}`, one per schema), each read alone.
   */
  labels?: Readonly<Record<string, string>>;
  /** The value, by one statement (selectValue). */
  read: () => Promise<number>;
  timeoutMs?: number;
}

/** `sql` selects one row with the value in `v`. */
export const selectValue = (db: Queryable, sql: string) => async (): Promise<number> => {
  const { rows } = await db.query<{ v: unknown }>(sql);
  return Number(rows[0]!.v);
};

/**
 * A gauge read by one statement at each scrape. While the value is unknown — the database refuses, fails or
 * does not answer within `timeoutMs` — its series has no sample: a 0 would read as "nothing", a value kept
 * from before as the present, and a hung database must not hang the whole scrape. One read at a time per
 * series: a scrape while the last read still waits answers "unknown" rather than queue another connection
 * behind it.
 */
export function registerSqlGauge(registry: Registry, gauge: SqlGauge): void {
  const existing = registry.getSingleMetric(gauge.name);
  if (existing instanceof SqlGaugeMetric) existing.add(gauge);
  else new SqlGaugeMetric(registry, gauge);
}

/** One series: its labels and its read, one at a time, undefined when unknown. */
class Series {
  private reading = false;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly readValue: () => Promise<number>,
    private readonly timeoutMs: number,
  ) {}

  async read(): Promise<number | undefined> {
    if (this.reading) return undefined;
    this.reading = true;
    const value = Promise.resolve()
      .then(() => this.readValue())
      .then(
        (v) => (Number.isFinite(v) ? v : undefined),
        () => undefined,
      )
      .finally(() => (this.reading = false));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.timeoutMs);
      timer.unref();
    });
    return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
  }
}

/** A gauge whose scrape shows the series whose value is known, and no sample of the others. */
class SqlGaugeMetric extends Gauge {
  private readonly series: Series[] = [];
  /** The label names every series has, sorted and joined. */
  private readonly labelSet: string;

  constructor(registry: Registry, first: SqlGauge) {
    const labelNames = Object.keys(first.labels ?? {}).sort();
    super({ name: first.name, help: first.help, labelNames, registers: [registry] });
    this.labelSet = labelNames.join(',');
    this.add(first);
  }

  add({ name, labels = {}, read, timeoutMs = SQL_GAUGE_TIMEOUT_MS }: SqlGauge): void {
    const names = Object.keys(labels).sort().join(',');
    if (names !== this.labelSet)
      throw new Error(`gauge ${name}: labels ${names || 'none'}, not ${this.labelSet || 'none'}`);
    const key = JSON.stringify(Object.entries(labels).sort());
    if (this.series.some((s) => JSON.stringify(Object.entries(s.labels).sort()) === key))
      throw new Error(`gauge ${name}: a series with labels ${key} is registered already`);
    this.series.push(new Series(labels, read, timeoutMs));
  }

  override async get() {
    const reads = await Promise.all(this.series.map(async (s) => ({ s, value: await s.read() })));
    const values: MetricValue<string>[] = reads.flatMap(({ s, value }) =>
      value === undefined ? [] : [{ labels: { ...s.labels }, value }],
    );
    return { ...(await super.get()), values };
  }
}
