import { validateAgainstSchema } from '@nqpf/messaging';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { SERVICES, type ServiceName } from './topics';
import { buildAsyncApiDocument } from './schemas/asyncapi';
import { nullable } from './schemas/builders';
import { eventContractsDigest } from './schemas/digest';
import { eventJsonSchema } from './schemas/json-schema';
import { EVENT_CONTRACTS, findEventContract, schemaFilePath, SERVICE_EVENT_TYPES } from './schemas/registry';
import {
  assessmentExamples,
  financeExamples,
  intakeExamples,
  reportingExamples,
  reviewExamples,
  type ServiceExamples,
} from './schemas/testing/decided-examples';
import { exampleEnvelope } from './schemas/testing/example-envelope';
import {
  committedSchemaFiles,
  compileSchemaFiles,
  errorsAgainstFile,
  readSchemaFile,
  SCHEMAS_DIR,
} from './schemas/testing/schema-files';
import { EVENT_CONTRACTS_DIGEST, EVENT_CONTRACTS_VERSION } from './schemas/version';

interface HeadersSchema {
  allOf?: { $ref?: string }[];
  properties: Record<string, { const?: unknown }>;
}
interface AsyncApiDoc {
  components: {
    messages: Record<string, { name: string; headers: unknown; payload: { schema: { $ref: string } } }>;
  };
}

const DOCS_CONTRACTS = join(__dirname, '..', '..', '..', 'docs', 'contracts');

function committedAsyncApi(): AsyncApiDoc {
  return parse(readFileSync(join(DOCS_CONTRACTS, 'asyncapi.yaml'), 'utf8')) as AsyncApiDoc;
}

/**
 * Each message whose headers do not fix nqpf-event-type and nqpf-schema-version to what its payload's schema
 * file fixes type and schemaVersion to (as text), or that leave out the shared headers definition.
 */
function headerConstMismatches(doc: AsyncApiDoc): string[] {
  return Object.entries(doc.components.messages).flatMap(([id, message]) => {
    const file = relative(SCHEMAS_DIR, resolve(DOCS_CONTRACTS, message.payload.schema.$ref));
    const fixed = (readSchemaFile(file) as { properties: Record<string, { const: unknown }> }).properties;
    const headers = message.headers as Partial<HeadersSchema>;
    const problems: string[] = [];
    for (const [header, field] of [
      ['nqpf-event-type', 'type'],
      ['nqpf-schema-version', 'schemaVersion'],
    ] as const) {
      const value = headers.properties?.[header]?.const;
      const expected = String(fixed[field]!.const);
      if (value !== expected)
        problems.push(`${id}: ${header} is ${String(value)}, its schema file says ${expected}`);
    }
    if (message.name !== fixed.type!.const)
      problems.push(`${id}: named ${message.name}, not its schema's type`);
    if (!headers.allOf?.some((s) => s.$ref === '#/components/schemas/headers'))
      problems.push(`${id}: headers do not include #/components/schemas/headers`);
    return problems;
  });
}

const REGENERATE =
  'run: SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register libs/contracts/scripts/generate-contracts.ts';

describe('event contracts: code and schema files agree', () => {
  it('has a schema file for every wire name every service publishes, and no file without one', () => {
    const fromCode = SERVICES.flatMap((service) =>
      Object.values(SERVICE_EVENT_TYPES[service]).map((type) =>
        schemaFilePath({ service, type, schemaVersion: 1 }),
      ),
    ).sort();
    const fromRegistry = EVENT_CONTRACTS.map(schemaFilePath).sort();
    expect(fromRegistry).toEqual(expect.arrayContaining(fromCode));
    expect(committedSchemaFiles()).toEqual(fromRegistry);
    const wireNames = new Set(SERVICES.flatMap((s) => Object.values(SERVICE_EVENT_TYPES[s])));
    expect(EVENT_CONTRACTS.filter((c) => !wireNames.has(c.type)).map((c) => c.type)).toEqual([]);
  });

  it.each(EVENT_CONTRACTS.map((c) => [schemaFilePath(c), c] as const))(
    'commits %s exactly as generated from the payload schemas',
    (file, contract) => {
      expect({ file, schema: readSchemaFile(file) }).toEqual({ file, schema: eventJsonSchema(contract) });
    },
  );

  it('compiles every schema file as JSON Schema draft 2020-12 in strict mode', () => {
    expect(compileSchemaFiles().size).toBe(EVENT_CONTRACTS.length);
  });

  it(`commits docs/contracts/asyncapi.yaml as generated (else ${REGENERATE})`, () => {
    const file = join(__dirname, '..', '..', '..', 'docs', 'contracts', 'asyncapi.yaml');
    expect(parse(readFileSync(file, 'utf8'))).toEqual(buildAsyncApiDocument());
  });

  it('commits docs/contracts/asyncapi.yaml so that YAML 1.1 (PyYAML, Ruby) reads it as 1.2 does', () => {
    const text = readFileSync(
      join(__dirname, '..', '..', '..', 'docs', 'contracts', 'asyncapi.yaml'),
      'utf8',
    );
    expect(parse(text, { version: '1.1' })).toEqual(parse(text));
  });

  it('states the event contracts version in the AsyncAPI document, as semver', () => {
    const file = join(__dirname, '..', '..', '..', 'docs', 'contracts', 'asyncapi.yaml');
    expect((parse(readFileSync(file, 'utf8')) as { info: { version: string } }).info.version).toBe(
      EVENT_CONTRACTS_VERSION,
    );
    expect(EVENT_CONTRACTS_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('moves the version whenever the generated contracts change (their digest is the one recorded for it)', () => {
    const digest = eventContractsDigest();
    const unrecorded =
      digest === EVENT_CONTRACTS_DIGEST
        ? undefined
        : `The generated event contracts (digest ${digest}) are not those event contracts ` +
          `${EVENT_CONTRACTS_VERSION} were published with (digest ${EVENT_CONTRACTS_DIGEST}): a change needs a ` +
          'new version. In libs/contracts/src/schemas/version.ts move EVENT_CONTRACTS_VERSION (minor: a new event type or ' +
          'optional field; patch: wording; major: a new schemaVersion of a type) and set ' +
          `EVENT_CONTRACTS_DIGEST = '${digest}'; add a line under "## Unreleased", "Downstream consumers" in ` +
          'docs/releases.md naming "Event contracts `<new version>`" and what changed; then regenerate ' +
          `(${REGENERATE.replace('run: ', '')}).`;
    expect(unrecorded).toBeUndefined();
  });

  it('digests every message and schema: a type more or less, or a field added, changes the digest', () => {
    const [first, ...rest] = EVENT_CONTRACTS;
    const widened = {
      ...first!,
      payload: { ...first!.payload, properties: { ...first!.payload.properties, note: { type: 'string' } } },
    } as const;
    const digests = new Set([
      eventContractsDigest(),
      eventContractsDigest(rest),
      eventContractsDigest([widened, ...rest]),
    ]);
    expect(digests.size).toBe(3);
    expect(eventContractsDigest()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the current event contracts version in the consumer guide (docs/contracts/README.md, "Versioning")', () => {
    const guide = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'contracts', 'README.md'), 'utf8');
    const named = /`info\.version` of `asyncapi\.yaml` \(now `(\d+\.\d+\.\d+)`/.exec(
      guide.replace(/\s+/g, ' '),
    );
    expect(named?.[1]).toBe(EVENT_CONTRACTS_VERSION);
  });

  it('has a release note naming the current event contracts version (docs/releases.md)', () => {
    const notes = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'releases.md'), 'utf8');
    const named = [...notes.matchAll(/Event contracts `(\d+\.\d+\.\d+)`/gi)].map((m) => m[1]);
    expect(named).toContain(EVENT_CONTRACTS_VERSION);
  });

  it("fixes each message's type and version headers to its schema file's type and schemaVersion", () => {
    expect(headerConstMismatches(committedAsyncApi())).toEqual([]);
  });

  it('reports a message whose type or version header disagrees with its schema file (the check can fail)', () => {
    const doc = committedAsyncApi();
    const headersOf = (id: string) => doc.components.messages[id]!.headers as HeadersSchema;
    headersOf('review.center-recognized.v1').properties['nqpf-schema-version'] = { const: '2' };
    headersOf('intake.call-opened.v1').properties['nqpf-event-type'] = { const: 'intake.call-closed' };
    headersOf('finance.entry-reversed.v1').allOf = [];
    expect(headerConstMismatches(doc)).toEqual([
      'intake.call-opened.v1: nqpf-event-type is intake.call-closed, its schema file says intake.call-opened',
      'review.center-recognized.v1: nqpf-schema-version is 2, its schema file says 1',
      'finance.entry-reversed.v1: headers do not include #/components/schemas/headers',
    ]);
  });

  it('describes one channel per service topic, each listing a message per contract of that service', () => {
    const doc = buildAsyncApiDocument();
    expect(Object.values(doc.channels).map((c) => (c as { address: string }).address)).toEqual(
      SERVICES.map((s) => `nqpf.${s}.events`),
    );
    expect(Object.keys(doc.components.messages).sort()).toEqual(
      EVENT_CONTRACTS.map((c) => `${c.type}.v${c.schemaVersion}`).sort(),
    );
  });
});

/** Every event the deciders produced, with the service whose topic carries it. */
const EXAMPLES: Record<ServiceName, ServiceExamples[]> = {
  intake: intakeExamples(),
  review: reviewExamples(),
  reporting: reportingExamples(),
  assessment: assessmentExamples(),
  finance: financeExamples(),
};
const produced = SERVICES.flatMap((service) =>
  EXAMPLES[service].flatMap(({ centerId, events }) =>
    events.map((event, i) => ({ service, envelope: exampleEnvelope(event, centerId, i + 1) })),
  ),
);

/**
 * Types no decider fixture here produces; their schemas are checked for shape only. Listed so that new
 * coverage (or a type that silently stops being produced) shows up as a failing test.
 */
const NOT_PRODUCED_BY_EXAMPLES: string[] = [];

describe('event contracts: real events from the deciders validate against the schemas', () => {
  const validators = compileSchemaFiles();

  it.each(produced.map((p) => [`${p.envelope.type} v${p.envelope.schemaVersion}`, p] as const))(
    '%s (as a whole record value against its schema file, and its payload against the PayloadSchema)',
    (_name, { service, envelope }) => {
      const contract = findEventContract(envelope.type, envelope.schemaVersion);
      expect(contract?.service).toBe(service);
      const validate = validators.get(schemaFilePath(contract!))!;
      expect(errorsAgainstFile(validate, envelope)).toEqual([]);
      expect(validateAgainstSchema(envelope.payload, contract!.payload, 'payload')).toEqual([]);
    },
  );

  it('covers at least one event of every service, and every type except the listed ones', () => {
    const covered = new Set(produced.map((p) => p.envelope.type));
    for (const service of SERVICES) {
      expect([service, produced.some((p) => p.service === service)]).toEqual([service, true]);
    }
    const uncovered = EVENT_CONTRACTS.map((c) => c.type).filter((t) => !covered.has(t));
    expect(uncovered.sort()).toEqual([...NOT_PRODUCED_BY_EXAMPLES].sort());
  });

  it('covers the optional lists added within v1 with items, so their item schemas are checked too', () => {
    const stops = produced.filter((p) => p.envelope.type === 'finance.support-stopped');
    const listed = stops.flatMap(
      (p) => (p.envelope.payload as { paidAfterRevocation?: unknown[] }).paidAfterRevocation ?? [],
    );
    expect(listed.length).toBeGreaterThan(0);
  });

  it("describes reporting.obligations-opened facts as center-recognized's: produced facts pass, a fact lost does not", () => {
    const factsOf = (type: string) => findEventContract(type, 1)!.payload.properties!.facts!;
    expect(factsOf('reporting.obligations-opened')).toEqual(nullable(factsOf('review.center-recognized')));
    const validate = validators.get('reporting/obligations-opened.v1.schema.json')!;
    const opened = produced.filter((p) => p.envelope.type === 'reporting.obligations-opened');
    const facts = opened.map((p) => (p.envelope.payload as { facts: unknown }).facts);
    expect(facts.filter((f) => f !== null).length).toBeGreaterThan(0);
    const sample = opened.find((p) => (p.envelope.payload as { facts: unknown }).facts !== null)!.envelope;
    const payload = JSON.parse(JSON.stringify(sample.payload)) as {
      facts: { team: Record<string, unknown> };
    };
    delete payload.facts.team.staffInPost;
    expect(errorsAgainstFile(validate, { ...sample, payload })).toEqual([
      "/payload/facts/team must have required property 'staffInPost'",
    ]);
    // Before center-recognized carried facts, obligations opened with none.
    expect(errorsAgainstFile(validate, { ...sample, payload: { ...payload, facts: null } })).toEqual([]);
  });

  it('rejects a produced event whose payload lost a required field (the check can fail)', () => {
    const sample = produced.find((p) => p.envelope.type === 'review.center-recognized')!.envelope;
    const broken = { ...sample, payload: { ...(sample.payload as object), recognitionDate: undefined } };
    const validate = validators.get('review/center-recognized.v1.schema.json')!;
    expect(errorsAgainstFile(validate, JSON.parse(JSON.stringify(broken)))).toEqual([
      "/payload must have required property 'recognitionDate'",
    ]);
  });
});
