import { Gauge, Registry } from 'prom-client';
import type { Queryable } from '@nqpf/event-store';

/** Long enough for a count on a healthy database, well inside Prometheus' 10 s scrape timeout. */
export const SQL_GAUGE_TIMEOUT_MS = 2_000;

export interface SqlGaugeOptions {
  name: string;
  help: string;
  /** One row with the value in `v`. */
  sql: string;
  timeoutMs?: number;
}

/**
 * A gauge read by one statement at each scrape. While the value is unknown — the database refuses, fails or
 * does not answer within `timeoutMs` — the gauge has no sample: a 0 would read as "nothing", and a hung
 * database must not hang the whole scrape. One read at a time: a scrape while the last read still waits
 * answers "unknown" rather than queue another connection behind it.
 */
export function registerSqlGauge(registry: Registry, db: Queryable, options: SqlGaugeOptions): void {
  const { name, help, sql, timeoutMs = SQL_GAUGE_TIMEOUT_MS } = options;
  let pending: Promise<number> | null = null;
  const read = (): Promise<number | undefined> => {
    if (pending) return Promise.resolve(undefined);
    const query = db.query<{ v: number }>(sql).then(({ rows }) => Number(rows[0]!.v));
    pending = query;
    void query.then(
      () => (pending = null),
      () => (pending = null),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
      timer.unref();
    });
    return Promise.race([query.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
  };
  new UnknownableGauge(read, { name, help, registers: [registry] });
}

/** A gauge whose scrape shows no sample when `read` does not know the value. */
class UnknownableGauge extends Gauge {
  constructor(
    private readonly read: () => Promise<number | undefined>,
    config: { name: string; help: string; registers: Registry[] },
  ) {
    super(config);
  }

  override async get() {
    const value = await this.read();
    if (value === undefined) return { ...(await super.get()), values: [] };
    this.set(value);
    return super.get();
  }
}
