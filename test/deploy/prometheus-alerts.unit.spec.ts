import fs from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';

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

/** The metric names an expression reads: identifiers outside label matchers and groupings, not calls. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/\b([a-z_][a-z0-9_]*)\b(?!\s*\()/g)]
    .map(([, name]) => name!)
    .filter((name) => name.includes('_'))
    .map((name) => name.replace(/_(bucket|count|sum)$/, ''));
}

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
    expect(read.filter((name) => !registered.has(name) && name !== 'kube_job_status_failed')).toEqual([]);
  });

  it('finds the metrics of an expression, and a name no service registers', async () => {
    expect(
      metricsIn('sum by (le, route) (rate(http_request_duration_seconds_bucket{status=~"5.."}[5m])) > 1'),
    ).toEqual(['http_request_duration_seconds']);
    expect((await registeredMetrics()).has('nqpf_consumer_lagg')).toBe(false);
  });
});
