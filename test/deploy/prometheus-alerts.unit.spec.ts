import fs from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The alerting rules (deploy/prometheus) against the code and the docs: every metric an expression reads
 * is one the services register, and every alert has its runbook entry in docs/operations.md.
 */

const ROOT = path.resolve(__dirname, '../..');
const RULES = path.join(ROOT, 'deploy/prometheus/nqpf-alerts.yaml');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
const rules: Rule[] = (
  parse(fs.readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] }
).groups.flatMap((g) => g.rules);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(file);
    return file.endsWith('.ts') && !file.includes('.spec.') ? [file] : [];
  });
}

/** Metric names as registered in the services' code (string literals), plus prom-client's defaults. */
async function registeredMetrics(): Promise<Set<string>> {
  const source = ['apps', 'libs'].flatMap((d) => sourceFiles(path.join(ROOT, d)));
  const names = new Set<string>();
  for (const file of source)
    for (const [, name] of fs.readFileSync(file, 'utf8').matchAll(/'([a-z][a-z0-9]*(?:_[a-z0-9]+)+)'/g))
      names.add(name!);
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  for (const metric of await defaults.getMetricsAsJSON()) names.add(metric.name);
  return names;
}

/**
 * The metric selectors of an expression: each metric name (an identifier outside label matchers and
 * groupings, not a call) with its label matchers, '' when it has none.
 */
function selectorsIn(expr: string): { metric: string; matchers: string }[] {
  const matchers: string[] = [];
  const bare = expr
    .replace(/\{[^}]*\}/g, (m) => `{${matchers.push(m) - 1}}`)
    .replace(/\b(by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/\b([a-z_][a-z0-9_]*)\b(?:\{(\d+)\})?(?!\s*\()/g)]
    .filter(([, name]) => name!.includes('_'))
    .map(([, metric, i]) => ({ metric: metric!, matchers: i === undefined ? '' : matchers[Number(i)]! }));
}

/** The metric names an expression reads (a histogram's by its name). */
function metricsIn(expr: string): string[] {
  return selectorsIn(expr).map(({ metric }) => metric.replace(/_(bucket|count|sum)$/, ''));
}

/** The metrics an expression selects without namespace="nqpf": other workloads export the same names. */
function withoutNamespace(expr: string): string[] {
  return selectorsIn(expr)
    .filter(({ matchers }) => !/[{,]\s*namespace\s*="nqpf"/.test(matchers))
    .map(({ metric }) => metric);
}

/**
 * The label naming the service on every series: the pod's app.kubernetes.io/name as Prometheus names a
 * target label taken from it (nqpf-podmonitor.yaml's podTargetLabels, or the usual relabelling's labelmap).
 */
const SERVICE_LABEL = 'app_kubernetes_io_name';
const promLabel = (kubernetesLabel: string) => kubernetesLabel.replace(/[^a-zA-Z0-9_]/g, '_');

/** Metrics from kube-state-metrics, not from the services: the audit Job's and the Deployments'. */
const KUBE_STATE_METRICS = new Set(['kube_job_status_failed', 'kube_deployment_status_replicas_available']);

/** The labels an expression's result keeps: those of its `by (…)` groupings, or undefined when it has none. */
function labelsKept(expr: string): Set<string> | undefined {
  const groupings = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)];
  if (groupings.length === 0) return undefined;
  return new Set(groupings.flatMap(([, list]) => list!.split(',').map((l) => l.trim())));
}

interface PodTemplate {
  metadata: { labels?: Record<string, string> };
  spec: { containers: { ports?: { name?: string }[] }[] };
}
interface AdminIngress {
  metadata: { name: string };
  spec: { rules: { http: { paths: { path: string; pathType: string }[] } }[] };
}

const rule = (name: string) => {
  const found = rules.find((r) => r.alert === name);
  expect(found).toBeDefined();
  return found!;
};

/** The runbook entry of an alert in docs/operations.md: its list item under "Alerts". */
function runbook(name: string): string {
  const operations = fs.readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
  const alerts = operations.slice(operations.indexOf('\n## Alerts'));
  const start = alerts.indexOf(`- **${name}**`);
  expect(start).toBeGreaterThan(0);
  const next = alerts.indexOf('\n- **', start + 1);
  return alerts.slice(start, next < 0 ? undefined : next).replace(/\s+/g, ' ');
}

/** The services, as deploy/k8s names their Deployments: every app with a main.ts except the CLI. */
const services = fs
  .readdirSync(path.join(ROOT, 'apps'))
  .filter((d) => d !== 'cli' && fs.existsSync(path.join(ROOT, 'apps', d, 'src/main.ts')))
  .sort();

describe('alerting rules', () => {
  it('has rules, each with a severity, a summary and its runbook entry', () => {
    expect(rules.length).toBeGreaterThan(5);
    const operations = fs.readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
    const alerts = operations.slice(operations.indexOf('\n## Alerts'));
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Nqpf[A-Za-z]+$/);
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.runbook).toBe(`docs/operations.md, Alerts: ${rule.alert}`);
      expect(alerts).toContain(`**${rule.alert}**`);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('reads only metrics the services register (and kube-state-metrics for the audit Job)', async () => {
    const registered = await registeredMetrics();
    const read = rules.flatMap((r) => metricsIn(r.expr));
    expect(read.length).toBeGreaterThanOrEqual(rules.length);
    expect(read.filter((name) => !registered.has(name) && !KUBE_STATE_METRICS.has(name))).toEqual([]);
  });

  it('names in its annotations only labels the expression keeps', () => {
    for (const r of rules) {
      const kept = labelsKept(r.expr);
      if (!kept) continue;
      const used = Object.values(r.annotations).flatMap((text) =>
        [...text.matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)].map(([, label]) => label!),
      );
      expect({ alert: r.alert, dropped: used.filter((label) => !kept.has(label)) }).toEqual({
        alert: r.alert,
        dropped: [],
      });
    }
    expect(labelsKept('max by (timer) (deadlines_in_backoff) > 0')).toEqual(new Set(['timer']));
  });

  it('alerts on the first dead letter of a pod, also one made before its first scrape', () => {
    const { expr } = rule('NqpfDeadLettered');
    // The counters start at 0 (libs/messaging initConsumerSeries), so increase() sees the first one…
    expect(expr).toMatch(/increase\(nqpf_consumer_dead_lettered_total\{namespace="nqpf"\}\[15m\]\)\) > 0/);
    // …and a series already above 0 when first scraped counts while it is new.
    expect(expr.replace(/\s+/g, ' ')).toContain(
      'nqpf_consumer_dead_lettered_total{namespace="nqpf"} unless ' +
        'present_over_time(nqpf_consumer_dead_lettered_total{namespace="nqpf"}[1h] offset 15m)) > 0',
    );
  });

  it('alerts on a service down, which no consumer metric shows (the lag is reported by live consumers)', () => {
    const instance = rule('NqpfInstanceDown');
    expect(instance.expr.trim()).toBe('up{namespace="nqpf"} == 0');
    expect(instance.for).toBe('5m');
    const service = rule('NqpfServiceDown');
    expect(service.labels.severity).toBe('critical');
    expect(service.for).toBe('5m');
    const expr = service.expr.replace(/\s+/g, '');
    expect(expr).toMatch(
      /^kube_deployment_status_replicas_available\{namespace="nqpf",deployment=~"[a-z|]+"\}==0$/,
    );
    expect(
      expr
        .match(/deployment=~"([a-z|]+)"/)![1]!
        .split('|')
        .sort(),
    ).toEqual(services);
    // The lag's runbook sends a down service to these, rather than promising it covers them.
    const lag = runbook('NqpfConsumerLag');
    expect(lag).toContain('NqpfInstanceDown');
    expect(lag).toContain('NqpfServiceDown');
    expect(lag).not.toMatch(/replicas down or crash-looping \(/);
  });

  it('selects every metric in namespace nqpf: other workloads export the same names', () => {
    const unscoped = rules.flatMap((r) => withoutNamespace(r.expr).map((metric) => `${r.alert}: ${metric}`));
    expect(unscoped).toEqual([]);
    // What it looks for: a selector of each metric, each naming the namespace.
    expect(
      withoutNamespace(
        'sum by (route) (rate(http_request_errors_total{status=~"5.."}[5m])) ' +
          '/ sum by (route) (rate(http_request_duration_seconds_count{namespace="nqpf"}[5m]))',
      ),
    ).toEqual(['http_request_errors_total']);
    expect(withoutNamespace('nodejs_eventloop_lag_p99_seconds > 0.5')).toEqual([
      'nodejs_eventloop_lag_p99_seconds',
    ]);
    expect(withoutNamespace('pg_pool_waiting_requests{namespace!="nqpf"} > 0')).toEqual([
      'pg_pool_waiting_requests',
    ]);
    expect(withoutNamespace('pg_pool_waiting_requests{pod="x", namespace=~"nqpf"} > 0')).toEqual([
      'pg_pool_waiting_requests',
    ]);
    expect(withoutNamespace('x_total{job="a", namespace="nqpf"} unless y_total{namespace="nqpf"}')).toEqual(
      [],
    );
  });

  it("keeps the service of every service metric's alert, and names it in the summary", () => {
    for (const r of rules) {
      if (metricsIn(r.expr).every((name) => KUBE_STATE_METRICS.has(name))) continue;
      const kept = labelsKept(r.expr);
      // Two services serving one route (intake's POST /calls, the registry's GET /calls) stay apart.
      const named = r.annotations.summary!.includes(`$labels.${SERVICE_LABEL}`);
      // Or the summary names the one service that exports the metric (review's calendar).
      const oneService = services.some((s) => new RegExp(`^${s} `).test(r.annotations.summary!));
      expect({ alert: r.alert, kept: !kept || kept.has(SERVICE_LABEL), named: named || oneService }).toEqual({
        alert: r.alert,
        kept: true,
        named: true,
      });
    }
  });

  it('reads the target labels the shipped PodMonitor sets, from pods that carry them', () => {
    const monitor = parse(
      fs.readFileSync(path.join(ROOT, 'deploy/prometheus/nqpf-podmonitor.yaml'), 'utf8'),
    ) as {
      kind: string;
      metadata: { namespace: string };
      spec: {
        selector: { matchLabels: Record<string, string> };
        namespaceSelector: { matchNames: string[] };
        podTargetLabels: string[];
        podMetricsEndpoints: { port: string; path: string }[];
      };
    };
    expect(monitor.kind).toBe('PodMonitor');
    // The Operator sets `namespace` on every target; the service comes from the pod's label.
    expect(monitor.spec.namespaceSelector.matchNames).toEqual(['nqpf']);
    expect(monitor.spec.podTargetLabels.map(promLabel)).toContain(SERVICE_LABEL);
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'http', path: '/metrics' }]);
    // Every service's pod: the selector's labels (base's kustomization adds part-of to the templates), the
    // service label with its name, and a port `http`.
    const base = parse(fs.readFileSync(path.join(ROOT, 'deploy/k8s/base/kustomization.yaml'), 'utf8')) as {
      labels: { pairs: Record<string, string>; includeTemplates?: boolean }[];
    };
    const templateLabels = Object.assign(
      {},
      ...base.labels.filter((l) => l.includeTemplates).map((l) => l.pairs),
    ) as Record<string, string>;
    for (const service of services) {
      const deployment = parseAllDocuments(
        fs.readFileSync(path.join(ROOT, 'deploy/k8s/base', `${service}.yaml`), 'utf8'),
      )
        .map((d) => d.toJS() as { kind: string; spec: { template: PodTemplate } })
        .find((d) => d.kind === 'Deployment')!;
      const { metadata, spec } = deployment.spec.template;
      const labels = { ...metadata.labels, ...templateLabels };
      expect(labels).toMatchObject(monitor.spec.selector.matchLabels);
      const serviceLabel = monitor.spec.podTargetLabels.find((l) => promLabel(l) === SERVICE_LABEL)!;
      expect(labels[serviceLabel]).toBe(service);
      expect(spec.containers[0]!.ports?.map((p) => p.name)).toContain('http');
    }
  });

  it("leaves the registry's rebuild and as-of replays (minutes by design, the admin Ingress's routes) out of NqpfSlowRequests", () => {
    const { expr } = rule('NqpfSlowRequests');
    const excluded = selectorsIn(expr)
      .map(({ matchers }) => /route!~"([^"]*)"/.exec(matchers)?.[1])
      .find(Boolean);
    expect(excluded).toBeDefined();
    // PromQL anchors a regex at both ends.
    const slowExcluded = (route: string) => new RegExp(`^(?:${excluded})$`).test(route);
    const ingresses = parseAllDocuments(
      fs.readFileSync(path.join(ROOT, 'deploy/k8s/overlays/production/ingress.yaml'), 'utf8'),
    ).map((d) => d.toJS() as AdminIngress);
    const admin = ingresses.find((i) => i.metadata.name === 'nqpf-admin')!;
    const long = admin.spec.rules.flatMap((r) =>
      r.http.paths.map((p) => (p.pathType === 'Exact' ? p.path : `${p.path}/rebuild`)),
    );
    expect(long.sort()).toEqual(['/admin/rebuild', '/ledger/as-of', '/standing/as-of']);
    expect(long.filter((route) => !slowExcluded(route))).toEqual([]);
    for (const route of ['/standing', '/standing/:centerId', '/ledger/:centerId', '/calls', '/audit'])
      expect({ route, excluded: slowExcluded(route) }).toEqual({ route, excluded: false });
  });

  it('finds the metrics of an expression, and a name no service registers', async () => {
    expect(
      metricsIn('sum by (le, route) (rate(http_request_duration_seconds_bucket{status=~"5.."}[5m])) > 1'),
    ).toEqual(['http_request_duration_seconds']);
    expect((await registeredMetrics()).has('nqpf_consumer_lagg')).toBe(false);
  });
});
