import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { parse } from 'yaml';
import { SERVICES, serviceTopic, type Actor, type EventEnvelope, type ServiceName } from '@nqpf/contracts';
import type { EventPublisher, WireMessage } from '@nqpf/messaging';
import { createTestDatabase, repoRoot, type TestDatabase } from '@nqpf/testing';
import {
  assessmentExamples,
  financeExamples,
  intakeExamples,
  reportingExamples,
  reviewExamples,
  type ServiceExamples,
} from '../../../contracts/src/schemas/testing/decided-examples';
import {
  compileSchemaFiles,
  readSchemaFile,
  SCHEMAS_DIR,
} from '../../../contracts/src/schemas/testing/schema-files';
import { PostgresEventStore } from '../postgres-event-store';
import { EventSealer } from '../seal';
import { OutboxRelay } from './outbox-relay';

/*
 * What the outbox relay hands to Kafka — key, headers and value — held to the published contract:
 * docs/contracts/asyncapi.yaml (channels, messages, the key and headers schemas) and the JSON Schema files
 * its messages point to. The contract drift spec checks the schemas against the code's payloads; this one
 * checks the records a real append and relay produce.
 */

const DOCS_DIR = join(repoRoot, 'docs', 'contracts');

interface Ref {
  $ref: string;
}
interface AsyncApiMessage {
  name: string;
  /** The shared headers schema (allOf) with the message's own type and version fixed. */
  headers: JsonSchema;
  payload: { schema: Ref };
  bindings: { kafka: { key: Ref } };
}
interface AsyncApiDocument {
  channels: Record<string, { address: string; messages: Record<string, Ref> }>;
}
interface JsonSchema {
  allOf?: JsonSchema[];
  properties?: Record<string, { description?: string; const?: unknown }>;
}

/** One record as the relay would produce it. */
interface ProducedRecord extends WireMessage {
  topic: string;
}

const asyncApi = parse(readFileSync(join(DOCS_DIR, 'asyncapi.yaml'), 'utf8')) as AsyncApiDocument;
const ajv = new Ajv2020({ strict: true, allErrors: true });
const valueValidators = compileSchemaFiles();

/** Resolves a '#/…' JSON pointer within the AsyncAPI document. */
function resolveInDocument<T>(ref: Ref): T {
  if (!ref.$ref.startsWith('#/')) throw new Error(`not a reference within the document: ${ref.$ref}`);
  return ref.$ref
    .slice(2)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (node as Record<string, unknown>)[token], asyncApi) as T;
}

/** `node` with every '#/…' reference in it replaced by what it points to, for a validator of its own. */
function dereference<T>(node: T): T {
  if (Array.isArray(node)) return node.map((item: unknown) => dereference(item)) as T;
  if (typeof node !== 'object' || node === null) return node;
  const ref = (node as Partial<Ref>).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/'))
    return dereference(resolveInDocument<T>({ $ref: ref }));
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, dereference(v)])) as T;
}

/** Every header a headers schema documents, its own properties over those of its allOf parts. */
function documentedHeaders(schema: JsonSchema): NonNullable<JsonSchema['properties']> {
  const documented: NonNullable<JsonSchema['properties']> = {};
  for (const part of [...(schema.allOf ?? []), schema])
    for (const [name, property] of Object.entries(part.properties ?? {}))
      documented[name] = { ...documented[name], ...property };
  return documented;
}

/** A message's payload schema file, as a path under libs/contracts/schemas (its $ref is relative to docs/contracts). */
function payloadSchemaFile(message: AsyncApiMessage): string {
  return relative(SCHEMAS_DIR, resolve(DOCS_DIR, message.payload.schema.$ref));
}

/** The message the channel of `topic` lists for the envelope's type and schemaVersion, if any. */
function messageFor(topic: string, envelope: EventEnvelope): AsyncApiMessage | undefined {
  const channel = Object.values(asyncApi.channels).find((c) => c.address === topic);
  return Object.values(channel?.messages ?? {})
    .map((ref) => resolveInDocument<AsyncApiMessage>(ref))
    .find(
      (m) =>
        m.name === envelope.type &&
        (readSchemaFile(payloadSchemaFile(m)) as JsonSchema).properties?.schemaVersion?.const ===
          envelope.schemaVersion,
    );
}

/** The record value as a consumer reads it (the messages' content type is application/json). */
function valueOf(record: ProducedRecord): EventEnvelope {
  return JSON.parse(record.value.toString('utf8')) as EventEnvelope;
}

function schemaErrors(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

function keyViolations(record: ProducedRecord, envelope: EventEnvelope, message: AsyncApiMessage): string[] {
  const violations = schemaErrors(ajv.compile(resolveInDocument(message.bindings.kafka.key)), record.key);
  // The key schema's description: the center id, else the stream id.
  const expected = envelope.centerId ?? envelope.streamId;
  if (record.key !== expected) violations.push(`key is ${record.key}, not ${expected}`);
  return violations;
}

/**
 * The headers schema leaves other headers open, but a header the contract does not document is one no
 * consumer can rely on: it counts as drift too. Each message fixes the type and version headers to its own
 * (const), so a record whose headers name another message fails its schema. A header documented as
 * "Envelope <field>…" must carry that envelope field, as text.
 */
function headerViolations(
  record: ProducedRecord,
  envelope: EventEnvelope,
  message: AsyncApiMessage,
): string[] {
  const schema = dereference(message.headers);
  const documented = documentedHeaders(schema);
  const violations = schemaErrors(ajv.compile(schema), record.headers);
  for (const name of Object.keys(record.headers)) {
    if (!(name in documented)) violations.push(`header ${name} is not in the contract`);
  }
  for (const [name, { description }] of Object.entries(documented)) {
    const field = /^Envelope (\w+)/.exec(description ?? '')?.[1] as keyof EventEnvelope | undefined;
    if (field && name in record.headers && record.headers[name] !== String(envelope[field]))
      violations.push(`header ${name} is ${record.headers[name]}, not the envelope's ${field}`);
  }
  return violations;
}

function valueViolations(
  record: ProducedRecord,
  envelope: EventEnvelope,
  message: AsyncApiMessage,
): string[] {
  const file = payloadSchemaFile(message);
  const validate = valueValidators.get(file);
  if (!validate) return [`no schema file ${file}`];
  const value = valueOf(record);
  const violations = schemaErrors(validate, value);
  if (!isDeepStrictEqual(value, envelope)) violations.push('value is not the envelope as appended');
  return violations;
}

type Check = (record: ProducedRecord, envelope: EventEnvelope, message: AsyncApiMessage) => string[];

/** Every violation of `check` over the records, each prefixed with the record it concerns. */
function violationsOf(
  check: Check,
  records: ProducedRecord[],
  appended: ReadonlyMap<string, EventEnvelope>,
): string[] {
  return records.flatMap((record) => {
    const parsed = valueOf(record);
    const envelope = appended.get(parsed.id);
    const label = `${record.topic} ${parsed.type} v${parsed.schemaVersion} ${parsed.id}`;
    if (!envelope) return [`${label}: not an appended event`];
    const message = messageFor(record.topic, envelope);
    if (!message) return [`${label}: no message on the topic's channel for this type and version`];
    return check(record, envelope, message).map((v) => `${label}: ${v}`);
  });
}

/** Events the services' deciders really produce (the contract drift spec's examples). */
const EXAMPLES: Record<ServiceName, () => ServiceExamples[]> = {
  intake: intakeExamples,
  review: reviewExamples,
  reporting: reportingExamples,
  assessment: assessmentExamples,
  finance: financeExamples,
};

const sealer = EventSealer.fromPem(
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
);

const actor: Actor = { id: 'user-1', role: 'district_office', district: '朝阳区', centerId: null };

/** Appends every example of the service, one stream per example, to a store writing the service's outbox. */
async function appendExamples(db: TestDatabase, service: ServiceName): Promise<EventEnvelope[]> {
  const store = new PostgresEventStore(db.pool, {
    schema: `wire_${service}`,
    outboxTopic: serviceTopic(service),
    sealer, // as the services append: the last event of each append carries its seal header
  });
  await store.migrate();
  const appended: EventEnvelope[] = [];
  for (const [i, { centerId, events }] of EXAMPLES[service]().entries()) {
    const options = { actor, correlationId: `corr-${service}-${i}`, causationId: `cause-${i}`, centerId };
    appended.push(...(await store.append(`${service}-stream-${i}`, events, options)).events);
  }
  return appended;
}

/** Runs the relay over the store's outbox until it is empty, capturing what it would send to Kafka. */
async function relayToCapture(db: TestDatabase, service: ServiceName): Promise<ProducedRecord[]> {
  const produced: ProducedRecord[] = [];
  const publisher: EventPublisher = {
    publish: async (topic, messages) => {
      produced.push(...messages.map((m) => ({ topic, ...m })));
    },
    disconnect: async () => undefined,
  };
  const relay = new OutboxRelay({ pool: db.pool, schema: `wire_${service}`, publisher });
  try {
    let published: number;
    do published = await relay.publishOnce();
    while (published > 0);
  } finally {
    await relay.stop();
  }
  return produced;
}

describe('the records the outbox relay produces, against docs/contracts/asyncapi.yaml and the schema files', () => {
  let db: TestDatabase;
  const records: ProducedRecord[] = [];
  const appended = new Map<string, EventEnvelope>();
  const serviceOf = new Map<string, ServiceName>();

  beforeAll(async () => {
    db = await createTestDatabase('wire');
    for (const service of SERVICES) {
      for (const e of await appendExamples(db, service)) {
        appended.set(e.id, e);
        serviceOf.set(e.id, service);
      }
      records.push(...(await relayToCapture(db, service)));
    }
  });
  afterAll(() => db.drop());

  it("publishes every appended event once, on its service's topic, as a message that topic's channel lists", () => {
    const published = records.map((r) => ({ id: valueOf(r).id, topic: r.topic }));
    expect(published.map((p) => p.id).sort()).toEqual([...appended.keys()].sort());
    expect(published.filter((p) => p.topic !== serviceTopic(serviceOf.get(p.id)!))).toEqual([]);
    // violationsOf itself reports a record whose channel lists no message for it.
    expect(violationsOf(() => [], records, appended)).toEqual([]);
  });

  it('keys each record as the key schema says: a string, the center id, else the stream id', () => {
    expect(violationsOf(keyViolations, records, appended)).toEqual([]);
    // Both cases occur: calls, experts and the policy book are about no center.
    expect(records.some((r) => valueOf(r).centerId === null)).toBe(true);
    expect(records.some((r) => valueOf(r).centerId !== null)).toBe(true);
  });

  it('sends exactly the documented headers, each valid and carrying the envelope field it names', () => {
    expect(violationsOf(headerViolations, records, appended)).toEqual([]);
    // The seal header occurs (on the last event of each append) and is checked like the others.
    expect(records.some((r) => r.headers['nqpf-seal']?.startsWith(`${sealer.keyId}:`))).toBe(true);
    expect(records.some((r) => !('nqpf-seal' in r.headers))).toBe(true);
  });

  it("sends as value the envelope as appended, valid against its message's schema file", () => {
    expect(violationsOf(valueViolations, records, appended)).toEqual([]);
  });

  describe('the header check can fail', () => {
    const withHeaders = (edit: (h: Record<string, string>) => Record<string, string>) => {
      const record = records[0]!;
      return [{ ...record, headers: edit({ ...record.headers }) }];
    };

    it.each([
      [
        'a required header missing',
        ({ 'nqpf-correlation-id': _, ...rest }: Record<string, string>) => rest,
        ["/ must have required property 'nqpf-correlation-id'"],
      ],
      [
        'a header misnamed',
        ({ 'nqpf-schema-version': v, ...rest }: Record<string, string>) => ({ ...rest, 'nqpf-version': v! }),
        ["/ must have required property 'nqpf-schema-version'", 'header nqpf-version is not in the contract'],
      ],
      [
        'an undocumented header',
        (h: Record<string, string>) => ({ ...h, 'nqpf-tenant': 'x' }),
        ['header nqpf-tenant is not in the contract'],
      ],
      [
        'a type header naming another message',
        (h: Record<string, string>) => ({ ...h, 'nqpf-event-type': 'other.type' }),
        [
          '/nqpf-event-type must be equal to constant',
          "header nqpf-event-type is other.type, not the envelope's type",
        ],
      ],
      [
        'a schema version header other than its message',
        (h: Record<string, string>) => ({ ...h, 'nqpf-schema-version': '2' }),
        [
          '/nqpf-schema-version must be equal to constant',
          "header nqpf-schema-version is 2, not the envelope's schemaVersion",
        ],
      ],
      [
        'a header not carrying its envelope field',
        (h: Record<string, string>) => ({ ...h, 'nqpf-correlation-id': 'corr-other' }),
        ["header nqpf-correlation-id is corr-other, not the envelope's correlationId"],
      ],
    ])('reports %s', (_name, edit, expected) => {
      const violations = violationsOf(headerViolations, withHeaders(edit), appended);
      expect(violations).toEqual(expected.map((e) => expect.stringContaining(e)));
    });
  });
});
