import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { loadAuthConfig, loadSecurityConfig, parseAccessTable, SKIP_RATE_LIMIT } from '@nqpf/auth';
import { SERVICES } from '@nqpf/contracts';
import {
  HealthController,
  kafkaConfigSpec,
  kafkaSecurityOf,
  loadConfig,
  type KafkaConfig,
  UNLOGGED_ROUTES,
  type VarSpec,
} from '@nqpf/platform';
import { assessmentConfigSpec } from '../../apps/assessment/src/config';
import { financeConfigSpec } from '../../apps/finance/src/config';
import { intakeConfigSpec, loadIntakeConfig } from '../../apps/intake/src/config';
import { DEFAULT_DISTRICT_UNITS } from '@nqpf/domain';
import { loadRegistryConfig, registryConfigSpec } from '../../apps/registry/src/config';
import { reportingConfigSpec } from '../../apps/reporting/src/config';
import { loadReviewConfig, reviewConfigSpec } from '../../apps/review/src/config';
import { eventSealerOf } from '../../libs/platform/src/event-sourcing/event-sealer';
import * as audit from '../../apps/cli/src/commands/audit';
import * as groupsCommand from '../../apps/cli/src/commands/groups';
import * as outboxCommand from '../../apps/cli/src/commands/outbox';
import * as rebuildCommand from '../../apps/cli/src/commands/rebuild';
import { runCaptured } from '../../apps/cli/src/run-captured.spec-helper';

/**
 * The Kubernetes manifests (deploy/k8s) against the code they run: the variables each service reads and
 * requires, its port in deploy/config.env, its health endpoint and its shutdown. Static: parses the YAML
 * and applies the few kustomize features used (generators, images, replicas), so it needs no kubectl.
 */

const ROOT = path.resolve(__dirname, '../..');
const K8S = path.join(ROOT, 'deploy/k8s');
const BASE = path.join(K8S, 'base');
const PRODUCTION = path.join(K8S, 'overlays/production');

/** What each service validates at start (apps/<service>/src/config.ts). */
const CONFIG_SPECS: Record<string, Record<string, VarSpec>> = {
  intake: intakeConfigSpec,
  review: reviewConfigSpec,
  reporting: reportingConfigSpec,
  assessment: assessmentConfigSpec,
  finance: financeConfigSpec,
  registry: registryConfigSpec,
};

// ---- the few Kubernetes shapes read here ----
interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef };
}
type Port = number | string;
interface Probe {
  httpGet?: { path?: string; port: Port };
  tcpSocket?: { port: Port };
  grpc?: { port: number };
  exec?: { command: string[] };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: unknown[];
  volumeMounts?: VolumeMount[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  securityContext?: SecurityContext;
}
interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}
interface Volume {
  name: string;
  secret?: { secretName: string; optional?: boolean; defaultMode?: number };
  configMap?: {
    name: string;
    optional?: boolean;
    defaultMode?: number;
    items?: { key: string; path: string }[];
  };
  emptyDir?: { sizeLimit?: string };
}
interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
  terminationGracePeriodSeconds?: number;
  securityContext?: SecurityContext;
  topologySpreadConstraints?: {
    topologyKey: string;
    labelSelector?: { matchLabels?: Record<string, string> };
  }[];
  affinity?: { podAntiAffinity?: unknown };
}
interface Deployment {
  kind: 'Deployment';
  metadata: Meta;
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: Meta; spec: PodSpec };
  };
}
interface CronJob {
  kind: 'CronJob';
  metadata: Meta;
  spec: {
    schedule: string;
    timeZone?: string;
    concurrencyPolicy?: string;
    jobTemplate: {
      spec: {
        backoffLimit?: number;
        template: { metadata: Meta; spec: PodSpec & { restartPolicy?: string } };
      };
    };
  };
}
interface Service {
  kind: 'Service';
  metadata: Meta;
  spec: { selector: Record<string, string>; ports: { name?: string; port: number; targetPort?: Port }[] };
}
interface Pdb {
  kind: 'PodDisruptionBudget';
  metadata: Meta;
  spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable?: Port; minAvailable?: Port };
}
interface Secret {
  kind: 'Secret';
  metadata: Meta;
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}
interface NetworkPolicy {
  kind: 'NetworkPolicy';
  metadata: Meta;
  spec: {
    podSelector: LabelSelector;
    policyTypes?: string[];
    ingress?: {
      from?: { namespaceSelector?: LabelSelector; podSelector?: LabelSelector }[];
      ports?: { port?: Port }[];
    }[];
  };
}
interface Ingress {
  kind: 'Ingress';
  metadata: Meta;
  spec: {
    tls?: { secretName: string; hosts: string[] }[];
    rules: {
      host: string;
      http: {
        paths: {
          path: string;
          pathType: 'Prefix' | 'Exact';
          backend: { service: { name: string; port: { name?: string; number?: number } } };
        }[];
      };
    }[];
  };
}
interface Kustomization {
  kind: 'Kustomization';
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  replicas?: { name: string; count: number }[];
  configMapGenerator?: {
    name: string;
    behavior?: 'create' | 'merge' | 'replace';
    literals?: string[];
    files?: string[];
    envs?: string[];
  }[];
}
type Manifest = { kind: string; metadata?: Meta };

// ---- loading ----
function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? yamlFiles(path.join(dir, e.name))
        : /\.ya?ml$/.test(e.name)
          ? [path.join(dir, e.name)]
          : [],
    )
    .sort();
}

function parseYaml(file: string): Manifest[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS() as Manifest | null;
    return value ? [value] : [];
  });
}

const manifestsByFile = new Map(yamlFiles(K8S).map((f) => [f, parseYaml(f)]));
const inDir = (dir: string) =>
  [...manifestsByFile].filter(([f]) => path.dirname(f) === dir).flatMap(([, docs]) => docs);
const kustomization = (dir: string) =>
  parseYaml(path.join(dir, 'kustomization.yaml'))[0] as unknown as Kustomization;
const base = kustomization(BASE);
const production = kustomization(PRODUCTION);
const baseObjects = inDir(BASE).filter((m) => m.metadata !== undefined);
const ofKind = <T>(kind: string) => baseObjects.filter((m) => m.kind === kind) as unknown as T[];
const deployments = ofKind<Deployment>('Deployment');
const services = ofKind<Service>('Service');
const pdbs = ofKind<Pdb>('PodDisruptionBudget');
const cronJobs = ofKind<CronJob>('CronJob');
const networkPolicies = ofKind<NetworkPolicy>('NetworkPolicy');
const ingresses = inDir(PRODUCTION).filter((m) => m.kind === 'Ingress') as unknown as Ingress[];
/** The paths routed for a host, over every Ingress (the controller merges Ingresses of one host). */
const ingressPaths = (host: string) =>
  ingresses.flatMap((i) => i.spec.rules.filter((r) => r.host === host).flatMap((r) => r.http.paths));
const operationsDoc = () => fs.readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');

/** Secrets the manifests need but the repository holds no values for: documented in secret.example.yaml. */
const exampleSecrets = new Map(
  parseYaml(path.join(PRODUCTION, 'secret.example.yaml'))
    .filter((m): m is Secret => m.kind === 'Secret')
    .map((s) => [
      s.metadata.name,
      {
        ...s.stringData,
        ...Object.fromEntries(
          Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
        ),
      } as Record<string, string>,
    ]),
);

/** The production ConfigMaps: base generators with the overlay's merged over them, as kustomize does. */
const configMaps = new Map<string, Record<string, string>>();
for (const [dir, k] of [
  [BASE, base],
  [PRODUCTION, production],
] as const) {
  for (const g of k.configMapGenerator ?? []) {
    const data: Record<string, string> = {};
    for (const literal of g.literals ?? []) {
      const eq = literal.indexOf('=');
      data[literal.slice(0, eq)] = literal.slice(eq + 1);
    }
    for (const file of g.files ?? []) {
      const [key, source] = file.includes('=') ? file.split('=', 2) : [path.basename(file), file];
      data[key] = fs.readFileSync(path.join(dir, source), 'utf8');
    }
    for (const env of g.envs ?? []) Object.assign(data, parseEnvFile(path.join(dir, env)));
    const known = configMaps.get(g.name);
    configMaps.set(g.name, g.behavior === 'merge' && known ? { ...known, ...data } : data);
  }
}

function parseEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

const configEnv = parseEnvFile(path.join(ROOT, 'deploy/config.env'));

/** Every variable the auth and HTTP-hardening configuration reads (libs/auth/src/config, loadAuthConfig…). */
const authVariables = new Set(
  fs
    .readdirSync(path.join(ROOT, 'libs/auth/src/config'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .flatMap((f) => [
      ...fs
        .readFileSync(path.join(ROOT, 'libs/auth/src/config', f), 'utf8')
        .matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g),
    ])
    .map((m) => m[1]),
);

/** The services: every app with a main.ts except cli, the command-line tool. */
const serviceDirs = fs
  .readdirSync(path.join(ROOT, 'apps'))
  .filter((d) => d !== 'cli' && fs.existsSync(path.join(ROOT, 'apps', d, 'src/main.ts')))
  .sort();

/** The services that append to an event store (EventSourcingModule), and so seal with a key of their own. */
const sealingServices = serviceDirs.filter((service) => {
  const src = path.join(ROOT, 'apps', service, 'src');
  return fs
    .readdirSync(src)
    .filter((f) => f.endsWith('.module.ts'))
    .some((f) => fs.readFileSync(path.join(src, f), 'utf8').includes('EventSourcingModule.forRoot('));
});

/** The Secret holding a service's private seal key. */
const sealSecretOf = (service: string) => `nqpf-${service}-seal`;

// ---- helpers over one service ----
function deploymentOf(service: string): Deployment {
  const found = deployments.filter((d) => d.metadata.name === service);
  expect(found).toHaveLength(1);
  return found[0];
}

function containerOf(service: string): Container {
  const { containers } = deploymentOf(service).spec.template.spec;
  expect(containers.map((c) => c.name)).toEqual([service]);
  return containers[0];
}

function serviceOf(service: string): Service {
  const podLabels = deploymentOf(service).spec.template.metadata.labels ?? {};
  const found = services.filter(
    (s) =>
      s.metadata.name === service && Object.entries(s.spec.selector).every(([k, v]) => podLabels[k] === v),
  );
  expect(found).toHaveLength(1);
  return found[0];
}

function portNumber(container: Container, port: Port | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function literal(container: Container, name: string): string | undefined {
  return container.env?.find((e) => e.name === name)?.value;
}

/** The container's environment with the production ConfigMaps and the example Secrets' values. */
function resolvedEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const cm = e.valueFrom?.configMapKeyRef;
    const secret = e.valueFrom?.secretKeyRef;
    const value = cm
      ? configMaps.get(cm.name)?.[cm.key]
      : secret
        ? exampleSecrets.get(secret.name)?.[secret.key]
        : e.value;
    if (value !== undefined) env[e.name] = value;
  }
  return env;
}

/** The mount a file path inside the container lies in (the deepest), its volume, and the file's key there. */
function mountOf(
  pod: PodSpec,
  container: Container,
  file: string,
): { mount: VolumeMount; volume: Volume | undefined; key: string } | undefined {
  const mount = (container.volumeMounts ?? [])
    .filter((m) => !m.subPath && file.startsWith(`${m.mountPath}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount) return undefined;
  const volume = pod.volumes?.find((v) => v.name === mount.name);
  return { mount, volume, key: file.slice(mount.mountPath.length + 1) };
}

/** The content a file path inside the container would have, from a mounted Secret or ConfigMap key. */
function mountedFile(pod: PodSpec, container: Container, file: string): string | undefined {
  const mounted = mountOf(pod, container, file);
  if (mounted?.volume?.secret) return exampleSecrets.get(mounted.volume.secret.secretName)?.[mounted.key];
  const configMap = mounted?.volume?.configMap;
  if (configMap) {
    // With items, only the keys listed are there, each at its path.
    const key = configMap.items ? configMap.items.find((i) => i.path === mounted!.key)?.key : mounted!.key;
    return key === undefined ? undefined : configMaps.get(configMap.name)?.[key];
  }
  return undefined;
}

/** kafkaSecurityOf accepts the config, with KAFKA_TLS_CA_FILE read from what the pod mounts there. */
function expectKafkaSecurityLoads(pod: PodSpec, container: Container, config: KafkaConfig): void {
  const ca = config.KAFKA_TLS_CA_FILE;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-k8s-'));
  try {
    let caCopy: string | undefined;
    if (ca) {
      caCopy = path.join(tmp, 'kafka-ca.pem');
      fs.writeFileSync(caCopy, mountedFile(pod, container, ca) ?? '');
    }
    expect(() => kafkaSecurityOf({ ...config, KAFKA_TLS_CA_FILE: caCopy })).not.toThrow();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Whether a Kubernetes label selector selects these labels (an empty selector selects everything). */
function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return key in labels && values.includes(labels[key]);
    if (operator === 'NotIn') return !(key in labels && values.includes(labels[key]));
    return operator === 'Exists' ? key in labels : !(key in labels);
  });
  return byLabels && byExpressions;
}

function preStopSeconds(container: Container): number {
  const preStop = container.lifecycle?.preStop;
  if (preStop?.sleep) return preStop.sleep.seconds;
  const command = preStop?.exec?.command ?? [];
  return command[0] === 'sleep' || command[0] === '/bin/sleep' ? Number(command[1]) : 0;
}

/** Readiness checks what HTTP needs (PostgreSQL); liveness nothing but the process serving HTTP. */
const READINESS = '/health/ready';
const LIVENESS = '/health/live';
/** Every dependency, Kafka and the consumers included: for people and scripts, not a probe. */
const STATUS = '/health';
const probePath = (probe: Probe | undefined) =>
  probe?.httpGet?.path?.replace(/\?.*$/, '').replace(/(.)\/$/, '$1');

/** The GET routes HealthController serves, read from its Nest metadata. */
const healthRoutes = Object.getOwnPropertyNames(HealthController.prototype)
  .map((name) => (HealthController.prototype as unknown as Record<string, unknown>)[name])
  .filter(
    (handler): handler is object =>
      typeof handler === 'function' && Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.GET,
  )
  .map((handler) =>
    path.posix
      .join(
        '/',
        Reflect.getMetadata(PATH_METADATA, HealthController),
        Reflect.getMetadata(PATH_METADATA, handler),
      )
      .replace(/(.)\/$/, '$1'),
  );

// ---- the checks ----
describe('deploy/k8s', () => {
  it('has one Deployment, Service and PodDisruptionBudget per service in apps/ and the audit CronJob, nothing else', () => {
    expect(serviceDirs).toEqual([...SERVICES, 'registry'].sort());
    expect(Object.keys(CONFIG_SPECS).sort()).toEqual(serviceDirs);
    for (const list of [deployments, services, pdbs])
      expect(list.map((o) => o.metadata.name).sort()).toEqual(serviceDirs);
    expect(cronJobs.map((c) => c.metadata.name)).toEqual(['audit-verify']);
    expect(new Set(baseObjects.map((o) => o.kind))).toEqual(
      new Set(['Deployment', 'Service', 'PodDisruptionBudget', 'CronJob', 'NetworkPolicy']),
    );
  });

  it('denies connections into every pod of the namespace unless a policy allows them', () => {
    const denyAll = networkPolicies.filter(
      (p) => Object.keys(p.spec.podSelector).length === 0 && (p.spec.ingress ?? []).length === 0,
    );
    expect(denyAll.map((p) => p.spec.policyTypes)).toEqual([['Ingress']]);
    // The audit job's pods take no connections at all.
    const auditPod = cronJobs[0].spec.jobTemplate.spec.template.metadata.labels ?? {};
    const allowing = networkPolicies.filter((p) => (p.spec.ingress ?? []).length > 0);
    expect(allowing.filter((p) => selects(p.spec.podSelector, auditPod))).toEqual([]);
  });

  it('reaches the services from outside through the production Ingresses, TLS on every host', () => {
    expect(production.resources).toContain('ingress.yaml');
    expect(ingresses.map((i) => i.metadata.name).sort()).toEqual(['nqpf', 'nqpf-admin']);
    for (const ingress of ingresses) {
      const { rules, tls = [] } = ingress.spec;
      const hosts = rules.map((r) => r.host);
      expect(new Set(hosts).size).toBe(hosts.length);
      expect(tls.flatMap((t) => t.hosts).sort()).toEqual([...hosts].sort());
      expect(tls.map((t) => t.secretName).filter((name) => !exampleSecrets.has(name))).toEqual([]);
    }
    // No path is routed twice: which Ingress's annotations apply to it would be the controller's choice.
    const routes = ingresses.flatMap((i) =>
      i.spec.rules.flatMap((r) => r.http.paths.map((p) => `${r.host}${p.path} ${p.pathType}`)),
    );
    expect(routes.filter((r, i) => routes.indexOf(r) !== i)).toEqual([]);
    // Behind the controller every anonymous client would otherwise share its IP, and its rate limit.
    expect(configMaps.get('nqpf-config')?.SECURITY_TRUST_PROXY).not.toBe('false');
  });

  it('routes every API route of docs/security.md and the OpenAPI docs from outside, never /metrics or /health', () => {
    const rows = parseAccessTable(fs.readFileSync(path.join(ROOT, 'docs/security.md'), 'utf8'));
    const internal = (route: string) => /^\/(metrics|health)(\/|$)/.test(route);
    const hosts = [...new Set(ingresses.flatMap((i) => i.spec.rules.map((r) => r.host)))];
    expect(hosts).toHaveLength(serviceDirs.length);
    for (const host of hosts) {
      const service = host.split('.')[0]!;
      const paths = ingressPaths(host);
      const routed = (route: string) =>
        paths.some((p) =>
          p.pathType === 'Exact' ? route === p.path : route === p.path || route.startsWith(`${p.path}/`),
        );
      const routes = [...rows.filter((r) => r.service === service).map((r) => r.path), '/docs-json'];
      expect(routes.length).toBeGreaterThan(3);
      expect(routes.filter((r) => !internal(r) && !routed(r))).toEqual([]);
      expect(routes.filter((r) => internal(r) && routed(r))).toEqual([]);
      for (const p of paths) expect(p.backend.service.name).toBe(service);
    }
  });

  it("gives POST /admin/rebuild and the as-of queries (synchronous, minutes long) an hour before nginx's 60 s read timeout", () => {
    const timeout = (i: Ingress, which: string) =>
      Number(i.metadata.annotations?.[`nginx.ingress.kubernetes.io/proxy-${which}-timeout`] ?? 60);
    const through = (route: string) =>
      ingresses.filter((i) =>
        i.spec.rules.some(
          (r) =>
            r.host === 'registry.prod.nqpf.example' &&
            r.http.paths.some((p) => p.pathType === 'Prefix' && route.startsWith(`${p.path}/`)),
        ),
      );
    const admin = through('/admin/rebuild');
    expect(admin).toHaveLength(1);
    expect(timeout(admin[0]!, 'read')).toBeGreaterThanOrEqual(3600);
    expect(timeout(admin[0]!, 'send')).toBeGreaterThanOrEqual(3600);
    // Only /admin and the two as-of replays wait that long: every other route keeps the controller's default.
    expect(admin[0]!.spec.rules.flatMap((r) => r.http.paths.map((p) => `${p.pathType} ${p.path}`))).toEqual([
      'Prefix /admin',
      'Exact /standing/as-of',
      'Exact /ledger/as-of',
    ]);
    for (const other of ingresses.filter((i) => i !== admin[0])) {
      expect(timeout(other, 'read')).toBe(60);
      expect(other.metadata.annotations).toMatchObject(
        // The same limits otherwise: the admin Ingress is the API Ingress but for the timeouts.
        Object.fromEntries(
          Object.entries(admin[0]!.metadata.annotations ?? {}).filter(([k]) => !/-timeout$/.test(k)),
        ),
      );
    }
  });

  it('keeps the probes and the scrapes out of the request log (UNLOGGED_ROUTES)', () => {
    // The kubelet polls every probe of every pod every 10 s; Prometheus scrapes as often.
    const logged = serviceDirs.flatMap((service) => {
      const container = containerOf(service);
      const polled = [container.readinessProbe, container.livenessProbe, container.startupProbe]
        .filter((probe) => probe?.httpGet)
        .map((probe) => probePath(probe)!);
      polled.push(deploymentOf(service).spec.template.metadata.annotations?.['prometheus.io/path'] ?? '');
      return polled.filter((route) => !UNLOGGED_ROUTES.has(route)).map((route) => `${service} ${route}`);
    });
    expect(logged).toEqual([]);
    expect(healthRoutes.filter((route) => !UNLOGGED_ROUTES.has(route))).toEqual([]);
  });

  it('takes the district-level units of every service from one ConfigMap, empty for the default, which an overlay merges', () => {
    // Every service checks a district office's `district` claim against them (libs/auth, loadAuthConfig).
    for (const service of serviceDirs) {
      const ref = containerOf(service).env?.find((e) => e.name === 'NQPF_DISTRICT_UNITS')?.valueFrom
        ?.configMapKeyRef;
      expect(ref).toEqual({ name: 'nqpf-district-units', key: 'NQPF_DISTRICT_UNITS' });
      expect(loadAuthConfig(resolvedEnv(containerOf(service))).districtUnits).toEqual([
        ...DEFAULT_DISTRICT_UNITS,
      ]);
    }
    expect(configMaps.get('nqpf-district-units')).toEqual({ NQPF_DISTRICT_UNITS: '' });
    const container = containerOf('intake');
    expect(loadIntakeConfig(resolvedEnv(container)).NQPF_DISTRICT_UNITS).toEqual([...DEFAULT_DISTRICT_UNITS]);
    expect(loadRegistryConfig(resolvedEnv(containerOf('registry'))).NQPF_DISTRICT_UNITS).toEqual([
      ...DEFAULT_DISTRICT_UNITS,
    ]);
    expect(loadReviewConfig(resolvedEnv(containerOf('review'))).NQPF_DISTRICT_UNITS).toEqual([
      ...DEFAULT_DISTRICT_UNITS,
    ]);
    // What docs/operations.md tells an overlay to add, merged as kustomize would: one literal, the list.
    const snippet = operationsDoc().match(/`(\{ name: nqpf-district-units, behavior: merge, [^`]*\})`/)?.[1];
    expect(snippet).toBeDefined();
    const generator = parseDocument(snippet!).toJS() as NonNullable<Kustomization['configMapGenerator']>[0];
    expect(generator.literals).toHaveLength(1);
    const literal = generator.literals![0]!.replace('…', '长春新区');
    const merged = {
      ...resolvedEnv(container),
      NQPF_DISTRICT_UNITS: literal.slice(literal.indexOf('=') + 1),
    };
    expect(literal.slice(0, literal.indexOf('='))).toBe('NQPF_DISTRICT_UNITS');
    expect(loadIntakeConfig(merged).NQPF_DISTRICT_UNITS).toEqual(['南关区', '宽城区', '长春新区']);
    expect(loadAuthConfig(merged).districtUnits).toEqual(['南关区', '宽城区', '长春新区']);
  });

  it('seals every write service with its own key, from its Secret mounted read-only; the registry has none', () => {
    // The five that append to an event store; the registry, a read side, appends nothing and needs no key.
    expect(sealingServices).toEqual([...SERVICES].sort());
    // Required with NODE_ENV=production (event-sealer.ts): without it the service does not start.
    expect(() => eventSealerOf({ NODE_ENV: 'production', NQPF_EVENT_SEAL_KEY_FILE: undefined })).toThrow(
      'NQPF_EVENT_SEAL_KEY_FILE is required',
    );
    for (const service of sealingServices) {
      const pod = deploymentOf(service).spec.template.spec;
      const container = containerOf(service);
      expect(literal(container, 'NODE_ENV')).toBe('production');
      const file = literal(container, 'NQPF_EVENT_SEAL_KEY_FILE');
      expect(file).toMatch(/^\/.+\.pem$/);
      const mounted = mountOf(pod, container, file!);
      expect({
        service,
        readOnly: mounted?.mount.readOnly,
        secret: mounted?.volume?.secret?.secretName,
      }).toEqual({
        service,
        readOnly: true,
        secret: sealSecretOf(service),
      });
      // What the operators put there: a PKCS#8 PEM private key (secret.example.yaml shows the form).
      expect(mountedFile(pod, container, file!)).toMatch(
        /^-----BEGIN PRIVATE KEY-----\n[\s\S]*\n-----END PRIVATE KEY-----\n?$/,
      );
      // What its outbox relay accepts: the service's own public keys, the file audit-verify checks its store
      // with (docs/operations.md, "Seal keys"), mounted from that ConfigMap.
      const publicKeys = literal(container, 'NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE');
      expect({ service, keys: publicKeys && mountedFile(pod, container, publicKeys) }).toEqual({
        service,
        keys: fs.readFileSync(path.join(PRODUCTION, 'seal-public-keys', `${service}.pem`), 'utf8'),
      });
      // A mode narrower than the default leaves the file readable through the pod's fsGroup alone.
      if (mounted?.volume?.secret?.defaultMode !== undefined)
        expect(pod.securityContext?.fsGroup).toBe(pod.securityContext?.runAsGroup);
    }
    const registry = containerOf('registry');
    expect((registry.env ?? []).map((e) => e.name)).not.toContain('NQPF_EVENT_SEAL_KEY_FILE');
    // Each private key is in one pod only: its service's (not the registry's, not the auditors').
    const pods = [
      ...deployments.map((d) => [d.metadata.name, d.spec.template.spec] as const),
      ...cronJobs.map((c) => [c.metadata.name, c.spec.jobTemplate.spec.template.spec] as const),
    ];
    const sealSecrets = new Set(sealingServices.map(sealSecretOf));
    expect(
      Object.fromEntries(
        pods.map(([name, pod]) => [
          name,
          (pod.volumes ?? []).map((v) => v.secret?.secretName).filter((s) => s && sealSecrets.has(s)),
        ]),
      ),
    ).toEqual(
      Object.fromEntries(
        pods.map(([name]) => [name, sealingServices.includes(name) ? [sealSecretOf(name)] : []]),
      ),
    );
  });

  it('tells, in docs/operations.md, to create the namespace before its Secrets, and names it in kubectl commands', () => {
    const doc = operationsDoc();
    const namespaceFile = 'deploy/k8s/overlays/production/namespace.yaml';
    expect(production.resources).toContain(path.basename(namespaceFile));
    const createNamespace = doc.indexOf(`kubectl apply -f ${namespaceFile}`);
    const createSecret = doc.indexOf('kubectl -n nqpf create secret');
    expect(createNamespace).toBeGreaterThan(0);
    expect(createSecret).toBeGreaterThan(createNamespace);
    // Every command on objects in the namespace names it (kubectl's default namespace is someone else's).
    const commands = [...doc.matchAll(/kubectl [^`\n]*/g)].map(([c]) => c);
    expect(commands.length).toBeGreaterThan(5);
    const clusterWide = /^kubectl (kustomize|apply -k|apply -f \S*namespace\.yaml)/;
    expect(commands.filter((c) => !clusterWide.test(c) && !/ (-n|--namespace)[ =]nqpf\b/.test(c))).toEqual(
      [],
    );
  });

  it('lists every base manifest in the base kustomization, and the overlay builds on the base', () => {
    const listed = new Set((base.resources ?? []).map((r) => path.join(BASE, r)));
    const files = [...manifestsByFile.keys()].filter(
      (f) => path.dirname(f) === BASE && path.basename(f) !== 'kustomization.yaml',
    );
    expect(files.filter((f) => !listed.has(f))).toEqual([]);
    expect(production.resources).toContain('../../base');
  });

  it('keeps secret.example.yaml out of every kustomization (no secret values are applied)', () => {
    for (const k of [base, production]) expect(k.resources ?? []).not.toContain('secret.example.yaml');
    expect(exampleSecrets.size).toBeGreaterThan(0);
  });

  it('deploys one release: the production overlay sets the same tag (or digests) for every image', () => {
    const images = production.images ?? [];
    expect(images.map((i) => i.name).sort()).toEqual(serviceDirs.map((s) => `nqpf/${s}`).sort());
    for (const image of images) expect(image.newTag ?? image.digest).toBeTruthy();
    expect(new Set(images.map((i) => i.newTag)).size).toBe(1);
  });

  it('probes routes HealthController serves, which the rate limit never answers with 429', () => {
    expect(healthRoutes.sort()).toEqual([STATUS, READINESS, LIVENESS].sort());
    expect(Reflect.getMetadata(SKIP_RATE_LIMIT, HealthController)).toBe(true);
  });

  it('reads the AUTH_* and SECURITY_* names from libs/auth/src/config', () => {
    // Guards the scan above: an empty set would let any name through.
    for (const name of ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'SECURITY_TRUST_PROXY'])
      expect(authVariables).toContain(name);
  });
});

describe.each(serviceDirs)('deploy/k8s: %s', (service) => {
  const spec = CONFIG_SPECS[service];

  it('sets only variables the service reads, each once, and no envFrom', () => {
    const container = containerOf(service);
    const names = (container.env ?? []).map((e) => e.name);
    expect(names.filter((n) => !(n in spec) && !authVariables.has(n))).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(container.envFrom).toBeUndefined();
  });

  it('sets every variable its configuration requires, and the production identity provider', () => {
    const names = new Set((containerOf(service).env ?? []).map((e) => e.name));
    const required = Object.entries(spec)
      .filter(([, s]) => s.default === undefined && !(s.kind === 'string' && s.optional))
      .map(([name]) => name);
    expect(required.filter((n) => !names.has(n))).toEqual([]);
    const provider = names.has('AUTH_JWKS_URL') || names.has('AUTH_PUBLIC_KEYS');
    expect({ provider, issuer: names.has('AUTH_ISSUER'), audience: names.has('AUTH_AUDIENCE') }).toEqual({
      provider: true,
      issuer: true,
      audience: true,
    });
  });

  it("passes the service's own start-up checks with the production ConfigMap and example Secrets", () => {
    const deployment = deploymentOf(service);
    const container = containerOf(service);
    const env = resolvedEnv(container);
    const config = loadConfig(spec, env);
    expect(() => loadAuthConfig(env)).not.toThrow();
    expect(() => loadSecurityConfig(env)).not.toThrow();
    // Files named by variables are mounted: the Kafka CA, the PostgreSQL CA in the URL, calendar years, the
    // seal key.
    const files: string[] = [];
    expectKafkaSecurityLoads(deployment.spec.template.spec, container, config as KafkaConfig);
    const ca = config.KAFKA_TLS_CA_FILE as string | undefined;
    if (ca) files.push(ca);
    const url = new URL(env.DATABASE_URL);
    for (const param of ['sslrootcert', 'sslcert', 'sslkey'])
      if (url.searchParams.get(param)) files.push(url.searchParams.get(param)!);
    if ('NQPF_CALENDAR_YEARS' in config) files.push(...(config.NQPF_CALENDAR_YEARS as string[]));
    if (config.NQPF_EVENT_SEAL_KEY_FILE) files.push(config.NQPF_EVENT_SEAL_KEY_FILE as string);
    expect(
      files.filter((f) => mountedFile(deployment.spec.template.spec, container, f) === undefined),
    ).toEqual([]);
  });

  it('refers only to ConfigMap keys, Secrets and volumes that exist', () => {
    const deployment = deploymentOf(service);
    const container = containerOf(service);
    const missing: string[] = [];
    for (const e of container.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const secret = e.valueFrom?.secretKeyRef;
      if (cm && !cm.optional && configMaps.get(cm.name)?.[cm.key] === undefined)
        missing.push(`configMap ${cm.name}/${cm.key}`);
      if (secret && !secret.optional && exampleSecrets.get(secret.name)?.[secret.key] === undefined)
        missing.push(`secret ${secret.name}/${secret.key}`);
    }
    const volumes = deployment.spec.template.spec.volumes ?? [];
    for (const v of volumes) {
      if (v.secret && !v.secret.optional && !exampleSecrets.has(v.secret.secretName))
        missing.push(`secret ${v.secret.secretName}`);
      if (v.configMap && !v.configMap.optional && !configMaps.has(v.configMap.name))
        missing.push(`configMap ${v.configMap.name}`);
    }
    for (const m of container.volumeMounts ?? [])
      if (!volumes.some((v) => v.name === m.name)) missing.push(`volume ${m.name}`);
    expect(missing).toEqual([]);
  });

  it('listens on its port from deploy/config.env: containerPort, PORT, Service and scrape annotation', () => {
    const expected = Number(configEnv[`${service.toUpperCase()}_PORT`]);
    expect(expected).toBeGreaterThan(0);
    const container = containerOf(service);
    expect((container.ports ?? []).map((p) => p.containerPort)).toEqual([expected]);
    expect(literal(container, 'PORT')).toBe(String(expected));
    const svc = serviceOf(service);
    expect(svc.spec.ports.map((p) => portNumber(container, p.targetPort ?? p.port))).toEqual([expected]);
    expect(deploymentOf(service).spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(expected),
      'prometheus.io/path': '/metrics',
    });
  });

  it('is ready on GET /health/ready, alive on GET /health/live (a database outage must not restart pods)', () => {
    const container = containerOf(service);
    const expected = Number(configEnv[`${service.toUpperCase()}_PORT`]);
    expect(container.readinessProbe?.httpGet?.path).toBe(READINESS);
    expect(portNumber(container, container.readinessProbe?.httpGet?.port)).toBe(expected);
    expect(container.livenessProbe?.httpGet?.path).toBe(LIVENESS);
    expect(portNumber(container, container.livenessProbe?.httpGet?.port)).toBe(expected);
    // Neither liveness nor start-up may wait on the dependencies: only readiness does.
    expect(probePath(container.livenessProbe)).not.toBe(READINESS);
    expect(probePath(container.startupProbe)).not.toBe(READINESS);
  });

  it('runs in production mode, bound to all interfaces, without the development identity', () => {
    const container = containerOf(service);
    expect(literal(container, 'NODE_ENV')).toBe('production');
    expect(literal(container, 'HOST')).toBe('0.0.0.0');
    expect((container.env ?? []).map((e) => e.name).filter((n) => n.startsWith('AUTH_DEV_IDENTITY'))).toEqual(
      [],
    );
  });

  it('gives the process longer than preStop plus SHUTDOWN_GRACE_MS before SIGKILL', () => {
    const container = containerOf(service);
    const set = resolvedEnv(container).SHUTDOWN_GRACE_MS;
    const shutdownMs = set === undefined ? Number(spec.SHUTDOWN_GRACE_MS.default) : Number(set);
    const grace = deploymentOf(service).spec.template.spec.terminationGracePeriodSeconds ?? 30;
    expect(grace * 1000).toBeGreaterThan(shutdownMs + preStopSeconds(container) * 1000);
  });

  it("runs as the image's non-root user without privileges, on a read-only root filesystem", () => {
    const pod = deploymentOf(service).spec.template.spec;
    const container = containerOf(service);
    const context = { ...pod.securityContext, ...container.securityContext };
    expect(context).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      // The image runs the compiled tree (test/deploy/compiled-service.int.spec.ts starts it).
      readOnlyRootFilesystem: true,
    });
    expect(context.runAsUser ?? 1000).toBe(1000);
    expect(context.privileged ?? false).toBe(false);
    expect(context.capabilities?.drop).toContain('ALL');
    expect(context.capabilities?.add ?? []).toEqual([]);
  });

  it('uses image nqpf/<service>, 2 replicas in base and 3 in production, spread over nodes, with a PDB', () => {
    const deployment = deploymentOf(service);
    expect(containerOf(service).image).toBe(`nqpf/${service}`);
    expect(deployment.spec.replicas).toBe(2);
    expect(production.replicas?.find((r) => r.name === service)?.count).toBe(3);
    const podLabels = deployment.spec.template.metadata.labels ?? {};
    expect(podLabels).toMatchObject(deployment.spec.selector.matchLabels);
    const pod = deployment.spec.template.spec;
    expect(
      pod.affinity?.podAntiAffinity !== undefined ||
        (pod.topologySpreadConstraints ?? []).some((c) => c.topologyKey === 'kubernetes.io/hostname'),
    ).toBe(true);
    const pdb = pdbs.filter((p) => p.metadata.name === service);
    expect(pdb).toHaveLength(1);
    expect(podLabels).toMatchObject(pdb[0].spec.selector.matchLabels);
    expect(pdb[0].spec.maxUnavailable ?? pdb[0].spec.minAvailable).toBeDefined();
  });

  it('takes HTTP from the ingress controller and Prometheus only, and is served on one Ingress host', () => {
    const podLabels = deploymentOf(service).spec.template.metadata.labels ?? {};
    const container = containerOf(service);
    const rules = networkPolicies
      .filter((p) => selects(p.spec.podSelector, podLabels))
      .flatMap((p) => p.spec.ingress ?? []);
    expect(rules.flatMap((r) => (r.ports ?? []).map((p) => portNumber(container, p.port)))).toEqual([
      portNumber(container, 'http'),
    ]);
    const sources = rules.flatMap((r) => r.from ?? []);
    expect(
      sources.map((f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']).sort(),
    ).toEqual(['ingress-nginx', 'monitoring']);
    const backends = ingresses.flatMap((i) =>
      i.spec.rules.flatMap((r) =>
        r.http.paths.filter((p) => p.backend.service.name === service).map((p) => ({ host: r.host, ...p })),
      ),
    );
    expect(backends.length).toBeGreaterThan(0);
    for (const backend of backends) {
      const port = backend.backend.service.port;
      expect(serviceOf(service).spec.ports.some((p) => p.name === port.name || p.port === port.number)).toBe(
        true,
      );
      expect(backend.host).toBe(`${service}.prod.nqpf.example`);
    }
  });
});

describe('deploy/k8s: the audit-verify CronJob', () => {
  const job = () => cronJobs[0]!;
  const pod = () => job().spec.jobTemplate.spec.template.spec;
  const container = () => {
    expect(pod().containers).toHaveLength(1);
    return pod().containers[0]!;
  };
  /** The shell script the container runs, as the lines of its commands. */
  const commands = () => {
    const c = container() as Container & { command?: string[]; args?: string[] };
    expect(c.command).toEqual(['sh', '-c']);
    return c.args![0]!.split('&&').map((line) => line.trim().split(/\s+/));
  };
  /** The values the verify command gives an option, in order (the script's words, quotes kept). */
  const optionValues = (words: string[], option: string) =>
    words.flatMap((word, i) => (i > 0 && words[i - 1] === option ? [word] : []));
  /** The stores verify opens: the NAME of each --database-url "NAME=$…". */
  const storeNames = (verify: string[]) =>
    optionValues(verify, '--database-url').map((v) => v.replace(/^"(.*)"$/, '$1').split('=')[0]!);
  /** Each --seal-keys NAME=PATH of the verify command: the store and the file of its service's public keys. */
  const sealKeyFiles = (verify: string[]) =>
    optionValues(verify, '--seal-keys').map((v) => {
      const at = v.indexOf('=');
      return { store: v.slice(0, at), file: v.slice(at + 1) };
    });

  it('runs daily in Asia/Shanghai, one at a time, without retrying a failure', () => {
    expect(job().spec.timeZone).toBe('Asia/Shanghai');
    expect(job().spec.concurrencyPolicy).toBe('Forbid');
    expect(job().spec.jobTemplate.spec.backoffLimit).toBe(0);
    expect(pod().restartPolicy).toBe('Never');
  });

  it('takes the heads from Kafka, then verifies all five stores, named by service, against them', () => {
    const [heads, verify] = commands();
    const cli = ['node', 'dist/apps/cli/src/main.js', 'audit'];
    expect(heads).toEqual([...cli, 'heads', '--from-kafka', '--out', '/tmp/heads.json']);
    expect(verify!.slice(0, 6)).toEqual([...cli, 'verify', '--heads', '/tmp/heads.json']);
    const options = verify!.slice(6);
    expect(options.length % 2).toBe(0);
    const flags = options.filter((_, i) => i % 2 === 0);
    expect(flags.every((flag) => flag === '--seal-keys' || flag === '--database-url')).toBe(true);
    expect(optionValues(verify!, '--database-url')).toEqual(
      SERVICES.map((s) => `"${s}=$${s.toUpperCase()}_DATABASE_URL"`),
    );
    // Every variable the script expands is set, from the auditors' Secret.
    const env = resolvedEnv(container());
    for (const s of SERVICES)
      expect(new URL(env[`${s.toUpperCase()}_DATABASE_URL`]!).protocol).toBe('postgres:');
  });

  it('passes commands the CLI accepts', async () => {
    const env = resolvedEnv(container());
    const expand = (word: string) =>
      word.replace(/^"(.*)"$/, '$1').replace(/\$([A-Z_]+)/g, (_, name: string) => env[name] ?? '');
    const [heads, verify] = commands().map((words) => words.slice(3).map(expand));
    // Parsed through: heads stops at the missing brokers (NODE_ENV=production, as in the image: no local
    // stack's defaults), verify at the heads file not there yet.
    const headsRun = await runCaptured(
      { run: (args) => audit.run(args, { NODE_ENV: 'production' }) },
      heads!.slice(0, -1).concat('/nonexistent/heads.json'),
    );
    expect(headsRun.output).toContain('KAFKA_BROKERS');
    expect(headsRun.code).toBe(2);
    // An Ed25519 public key per store, as the operators put there (the mounted files hold placeholders until
    // then), in the same NAME=PATH words.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-k8s-'));
    try {
      const copies = new Map(
        sealKeyFiles(verify!).map(({ store, file }) => {
          const copy = path.join(tmp, `${store}.pem`);
          fs.writeFileSync(
            copy,
            generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }),
          );
          return [`${store}=${file}`, `${store}=${copy}`];
        }),
      );
      expect(copies.size).toBe(SERVICES.length);
      const verifyRun = await runCaptured(
        audit,
        verify!.map((w) => (w === '/tmp/heads.json' ? '/nonexistent/heads.json' : (copies.get(w) ?? w))),
      );
      expect(verifyRun.output).toContain('--heads: cannot read /nonexistent/heads.json');
      expect(verifyRun.code).toBe(2);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("checks each store's seals against its own service's public keys only, in a volume it mounts read-only", () => {
    const [, verify] = commands();
    const sealKeys = sealKeyFiles(verify!);
    // One --seal-keys NAME=PATH per store, named as its --database-url: a key of one service cannot vouch
    // for another's events.
    expect(sealKeys.map((k) => k.store)).toEqual(storeNames(verify!));
    expect(sealKeys.map((k) => k.store).sort()).toEqual(sealingServices);
    for (const { store, file } of sealKeys) {
      const mounted = mountOf(pod(), container(), file);
      expect(mounted?.mount.readOnly).toBe(true);
      // Public keys are not secret: a ConfigMap the overlay generates (its files replaced by the operators).
      expect(mounted?.volume?.configMap?.name).toBe('nqpf-seal-public-keys');
      expect(mounted?.key).toBe(`${store}.pem`);
      const keys = mountedFile(pod(), container(), file);
      expect(keys).toBeDefined();
      expect(
        keys?.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g)?.length,
      ).toBeGreaterThanOrEqual(1);
      expect(keys).not.toContain('PRIVATE KEY');
    }
    // And no file in it that no store is checked against.
    expect(Object.keys(configMaps.get('nqpf-seal-public-keys') ?? {}).sort()).toEqual(
      sealKeys.map((k) => `${k.store}.pem`).sort(),
    );
  });

  it("reaches Kafka as the services do, with the auditors' principal, and every mounted file exists", () => {
    const env = resolvedEnv(container());
    const config = loadConfig(kafkaConfigSpec, env);
    expect(mountedFile(pod(), container(), config.KAFKA_TLS_CA_FILE!)).toBeDefined();
    expectKafkaSecurityLoads(pod(), container(), config);
    expect(env.KAFKA_SASL_USERNAME).toBe('nqpf-audit');
    const refs = (container().env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name).filter(Boolean);
    expect(new Set(refs)).toEqual(new Set(['nqpf-audit']));
    for (const s of SERVICES) {
      const rootCert = new URL(env[`${s.toUpperCase()}_DATABASE_URL`]!).searchParams.get('sslrootcert');
      if (rootCert) expect(mountedFile(pod(), container(), rootCert)).toBeDefined();
    }
    for (const m of container().volumeMounts ?? [])
      expect(pod().volumes?.some((v) => v.name === m.name)).toBe(true);
  });

  it("runs as the image's non-root user on a read-only root filesystem, writing only to an emptyDir /tmp", () => {
    const context = { ...pod().securityContext, ...container().securityContext };
    expect(context).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    expect(context.capabilities?.drop).toContain('ALL');
    const tmp = container().volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(pod().volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
    expect(container().image).toBe('nqpf/registry');
  });
});

describe('deploy/k8s: the toolbox pod', () => {
  const FILE = path.join(PRODUCTION, 'toolbox.yaml');
  const text = fs.readFileSync(FILE, 'utf8');
  const cronPod = () => cronJobs[0]!.spec.jobTemplate.spec.template.spec;
  /**
   * The placeholders and what docs/operations.md fills them with: the Secret chosen, and the release's image
   * and the generated ConfigMaps' names as the audit-verify CronJob has them (the jsonpaths of the doc).
   */
  const fills = (secret: string): Record<string, string> => {
    const container = cronPod().containers[0]!;
    return {
      __SECRET__: secret,
      __IMAGE__: container.image,
      __NQPF_CONFIG__: container.env!.find((e) => e.name === 'KAFKA_BROKERS')!.valueFrom!.configMapKeyRef!
        .name,
      __SEAL_PUBLIC_KEYS__: cronPod().volumes!.find((v) => v.name === 'seal-keys')!.configMap!.name,
    };
  };
  type Pod = { kind: string; metadata: Meta; spec: PodSpec & Record<string, unknown> };
  const rendered = (secret: string): Pod => {
    const docs = parseAllDocuments(
      Object.entries(fills(secret)).reduce((t, [token, value]) => t.replaceAll(token, value), text),
    ).map((d) => d.toJS() as Pod);
    expect(docs.map((d) => d.kind)).toEqual(['Pod']);
    return docs[0]!;
  };
  const containerOfPod = (pod: Pod) => {
    expect(pod.spec.containers).toHaveLength(1);
    return pod.spec.containers[0]! as Container & { command?: string[]; envFrom?: { secretRef?: KeyRef }[] };
  };
  /** The environment with the chosen Secret's keys (envFrom) under the listed variables. */
  const envOf = (pod: Pod, secret: string) => {
    const secretKeys = exampleSecrets.get(secret);
    expect(secretKeys).toBeDefined();
    return { ...secretKeys, ...resolvedEnv(containerOfPod(pod)) };
  };

  it('is no resource of any kustomization, and has only the placeholders the doc fills', () => {
    for (const k of [base, production]) expect(k.resources ?? []).not.toContain('toolbox.yaml');
    expect([...new Set(text.match(/__[A-Z_]+__/g))].sort()).toEqual(Object.keys(fills('x')).sort());
    // What docs/operations.md runs: each placeholder replaced, from the CronJob as the fills above read it.
    const doc = operationsDoc();
    for (const token of Object.keys(fills('x'))) expect(doc).toContain(`s|${token}|`);
    expect(doc).toContain(`.containers[0].env[?(@.name=="KAFKA_BROKERS")].valueFrom.configMapKeyRef.name`);
    expect(doc).toContain(`.volumes[?(@.name=="seal-keys")].configMap.name`);
    expect(doc).toContain('deploy/k8s/overlays/production/toolbox.yaml | kubectl -n nqpf apply -f -');
    // Unfilled, the names are invalid: the apply is refused rather than a pod left pending.
    expect(parseYaml(FILE)[0]!.metadata!.name).not.toMatch(/^[a-z0-9-]+$/);
  });

  it('runs the release image, only sleeping, for at most 12 hours, taking no connections', () => {
    const pod = rendered('nqpf-audit');
    expect(pod.metadata.name).toBe('toolbox-nqpf-audit');
    expect(pod.metadata.namespace).toBe('nqpf');
    const container = containerOfPod(pod);
    expect(container.image).toBe(cronPod().containers[0]!.image);
    expect(container.command?.[0]).toBe('sleep');
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.activeDeadlineSeconds).toBeLessThanOrEqual(12 * 3600);
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(container.ports).toBeUndefined();
    // The deny-all policy covers it; no policy lets anything in.
    const labels = pod.metadata.labels ?? {};
    const allowing = networkPolicies.filter((p) => (p.spec.ingress ?? []).length > 0);
    expect(allowing.filter((p) => selects(p.spec.podSelector, labels))).toEqual([]);
  });

  it("has the services' restricted security context, a read-only root and an emptyDir /tmp", () => {
    const pod = rendered('nqpf-review');
    const container = containerOfPod(pod);
    const context = { ...pod.spec.securityContext, ...container.securityContext };
    expect(context).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(context.capabilities?.drop).toEqual(['ALL']);
    expect(context.privileged ?? false).toBe(false);
    const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(pod.spec.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
    // Only volume kinds the restricted standard admits.
    for (const v of pod.spec.volumes ?? [])
      expect(Object.keys(v).filter((k) => k !== 'name')).toEqual([
        expect.stringMatching(/^(secret|configMap|emptyDir)$/),
      ]);
  });

  it.each(['nqpf-audit', 'nqpf-review', 'nqpf-registry'])(
    'with %s: its principal, the Kafka settings the services use, and every file its variables name',
    (secret) => {
      const pod = rendered(secret);
      const container = containerOfPod(pod);
      expect(container.envFrom).toEqual([{ secretRef: { name: secret } }]);
      const env = envOf(pod, secret);
      expect(env.NODE_ENV).toBe('production');
      expect(env.KAFKA_SASL_USERNAME).toBe(exampleSecrets.get(secret)!.KAFKA_SASL_USERNAME);
      const config = loadConfig(kafkaConfigSpec, env);
      expect(config.KAFKA_TLS).toBe(true);
      expectKafkaSecurityLoads(pod.spec, container, config);
      for (const name of ['KAFKA_BROKERS', 'KAFKA_TOPIC_PREFIX', 'KAFKA_SASL_MECHANISM'])
        expect(env[name]).toBe(configMaps.get('nqpf-config')![name]);
      const urls = Object.entries(env).filter(([k]) => /(^|_)DATABASE_URL$/.test(k));
      expect(urls.length).toBe(secret === 'nqpf-audit' ? SERVICES.length : 1);
      for (const [, url] of urls) {
        const rootCert = new URL(url).searchParams.get('sslrootcert');
        expect(rootCert && mountedFile(pod.spec, container, rootCert)).toBeTruthy();
      }
      for (const m of container.volumeMounts ?? [])
        expect(pod.spec.volumes?.some((v) => v.name === m.name)).toBe(true);
    },
  );

  it("mounts every service's seal public keys, and a service's private key only with that service's Secret", () => {
    for (const secret of ['nqpf-audit', ...sealingServices.map((s) => `nqpf-${s}`), 'nqpf-registry']) {
      const pod = rendered(secret);
      const container = containerOfPod(pod);
      for (const service of sealingServices)
        expect(mountedFile(pod.spec, container, `/etc/nqpf/seal-keys/${service}.pem`)).toBe(
          configMaps.get('nqpf-seal-public-keys')![`${service}.pem`],
        );
      const key = mountOf(pod.spec, container, '/etc/nqpf/seal/key.pem');
      expect(key?.mount.readOnly).toBe(true);
      // Optional: only a write service has a seal Secret; the auditors' and the registry's toolbox none.
      expect(key?.volume?.secret).toMatchObject({ secretName: `${secret}-seal`, optional: true });
      const held = exampleSecrets.has(`${secret}-seal`);
      expect({ secret, held }).toEqual({
        secret,
        held: sealingServices.includes(secret.replace(/^nqpf-/, '')),
      });
      if (held) {
        expect(mountedFile(pod.spec, container, '/etc/nqpf/seal/key.pem')).toContain('PRIVATE KEY');
        expect(pod.spec.securityContext?.fsGroup).toBe(pod.spec.securityContext?.runAsGroup);
      }
    }
  });

  it('is what the runbooks exec into while a service is scaled to 0, with the Secret each command needs', async () => {
    const doc = operationsDoc();
    const execs = [...doc.matchAll(/kubectl -n nqpf exec (?:-i )?(toolbox-[a-zA-Z$-]+)[^`\n]*/g)];
    expect(execs.length).toBeGreaterThan(5);
    const pods = new Set(execs.map(([, pod]) => pod));
    for (const pod of pods)
      expect(pod).toMatch(
        /^toolbox-(\$SECRET|nqpf-(audit|registry|intake|review|reporting|assessment|finance))$/,
      );
    // heads --from-kafka reads in groups under <prefix>.audit.: the auditors' principal only.
    for (const [command, pod] of execs.filter(([c]) => c.includes('--from-kafka')))
      expect({ command, pod }).toEqual({ command, pod: 'toolbox-nqpf-audit' });
    // Each command line the CLI reads as written: --help checks the action and options given beside it, then
    // stops before any connection.
    const cli: Record<string, { run: (args: string[]) => Promise<number> }> = {
      audit,
      groups: groupsCommand,
      outbox: outboxCommand,
      rebuild: rebuildCommand,
    };
    const lines = execs
      .map(([command]) => /main\.js ([^'<>]*)/.exec(command)?.[1]?.trim().split(/\s+/))
      .filter((words): words is string[] => words !== undefined && words.length > 1);
    expect(lines.length).toBeGreaterThan(5);
    for (const [name, ...args] of lines) {
      expect(Object.keys(cli)).toContain(name);
      const { code, output } = await runCaptured(cli[name!]!, [
        ...args.map((w) => w.replace(/^"(.*)"$/, '$1')),
        '--help',
      ]);
      expect({ line: [name, ...args].join(' '), code, output: output.slice(0, 60) }).toMatchObject({
        line: [name, ...args].join(' '),
        code: 0,
      });
    }
    // refill and seal-heads write the service's store: its own principal.
    for (const [command, pod] of execs.filter(([c]) => /outbox refill|seal-heads|reseal/.test(c)))
      expect({ command, pod: pod!.startsWith('toolbox-nqpf-') && pod !== 'toolbox-nqpf-audit' }).toEqual({
        command,
        pod: true,
      });
  });
});
