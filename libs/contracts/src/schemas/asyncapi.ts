import { SERVICES, serviceTopic, type ServiceName } from '../topics';
import { eventJsonSchema } from './json-schema';
import { PERSONAL_DATA_CATEGORIES, PERSONAL_DATA_KEYWORD, personalFields } from './personal-data';
import { EVENT_CONTRACTS, schemaFilePath, type EventContract } from './registry';
import { EVENT_CONTRACTS_VERSION } from './version';

/** Where docs/contracts/asyncapi.yaml finds the JSON Schema files. */
const SCHEMAS_FROM_DOCS = '../../libs/contracts/schemas/';
const KAFKA_BINDING = '0.5.0';

export const VERSIONING_POLICY = [
  'Each event type has an integer schemaVersion, in the envelope and in the nqpf-schema-version header.',
  'Within a version, fields may only be added, and only as optional fields: consumers must ignore fields',
  'they do not know (the schemas leave additionalProperties open). Any other change (removing or renaming',
  'a field, changing its type or meaning, tightening a rule) is breaking and publishes a new schemaVersion',
  'with its own schema file; the old schema file is never edited but for annotations that validate nothing',
  '(descriptions, x-personal-data marks). Stored events are never rewritten:',
  'readers upcast older versions to the newest on read, so a service may publish both versions during a',
  'migration and a consumer must handle, or explicitly dead-letter, every version it is subscribed to.',
  'New event types may appear on a topic within v1: a consumer that folds a topic into totals or states',
  'stops or dead-letters on a type it does not know; one that picks out specific types may pass over the',
  'others, logging them. info.version is the version of these contracts as a whole: a new type, optional',
  'field or mark moves the minor version, a correction of wording the patch, a new schemaVersion of a type the',
  'major version; docs/releases.md (Downstream consumers) lists each change under the version it moved to.',
].join(' ');

function channelId(service: ServiceName): string {
  return `${service}Events`;
}

function messageId(contract: EventContract): string {
  return `${contract.type}.v${contract.schemaVersion}`;
}

/** The message's personal fields, path → category: what its schema file marks. */
function personalFieldsOf(contract: EventContract): Record<string, string> {
  return Object.fromEntries(personalFields(eventJsonSchema(contract)).map((f) => [f.path, f.category]));
}

/** What a Read ACL on the topic grants, beyond the events themselves. */
function personalDataNote(own: readonly EventContract[]): string {
  const categories = new Set(own.flatMap((c) => Object.values(personalFieldsOf(c))));
  return (
    `Personal data on it (${PERSONAL_DATA_KEYWORD} on each message and in the schemas): ` +
    `${[...categories].join(', ')}. Read access to the topic is access to all of it: grant it as a grant ` +
    'of that data, and keep it out of your own exports (docs/security.md, "Personal data").'
  );
}

/** The headers every record carries, defined once (components.schemas.headers). */
const HEADERS_REF = '#/components/schemas/headers';

/**
 * A message's headers: the shared definition, with nqpf-event-type and nqpf-schema-version fixed to the
 * message's type and version, so that a record's headers name the message (and schema) its value is.
 * Every published record meets it: toWire (libs/messaging) copies both from the envelope.
 */
function messageHeaders(contract: EventContract): Record<string, unknown> {
  return {
    type: 'object',
    allOf: [{ $ref: HEADERS_REF }],
    properties: {
      'nqpf-event-type': { const: contract.type },
      'nqpf-schema-version': { const: String(contract.schemaVersion) },
    },
  };
}

function message(contract: EventContract): Record<string, unknown> {
  return {
    name: contract.type,
    title: `${contract.type} v${contract.schemaVersion}`,
    contentType: 'application/json',
    headers: messageHeaders(contract),
    payload: {
      schemaFormat: 'application/schema+json;version=draft-2020-12',
      schema: { $ref: SCHEMAS_FROM_DOCS + schemaFilePath(contract) },
    },
    bindings: { kafka: { key: { $ref: '#/components/schemas/key' }, bindingVersion: KAFKA_BINDING } },
    [PERSONAL_DATA_KEYWORD]: personalFieldsOf(contract),
  };
}

/** The AsyncAPI 3.0 document of every published event; docs/contracts/asyncapi.yaml is this, as YAML. */
export function buildAsyncApiDocument(contracts: readonly EventContract[] = EVENT_CONTRACTS) {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const service of SERVICES) {
    const own = contracts.filter((c) => c.service === service);
    const refs = Object.fromEntries(
      own.map((c) => [messageId(c), { $ref: `#/components/messages/${messageId(c)}` }]),
    );
    channels[channelId(service)] = {
      address: serviceTopic(service),
      title: `${service} events`,
      description:
        `Every event the ${service} service publishes, in commit order per center. ` +
        'Retention is unlimited: the topic is a replay source. ' +
        personalDataNote(own),
      messages: refs,
      bindings: { kafka: { topic: serviceTopic(service), bindingVersion: KAFKA_BINDING } },
    };
    operations[`receive${service[0]!.toUpperCase()}${service.slice(1)}Events`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channelId(service)}` },
      summary: `Consume ${serviceTopic(service)}.`,
      messages: own.map((c) => ({ $ref: `#/channels/${channelId(service)}/messages/${messageId(c)}` })),
    };
    for (const c of own) messages[messageId(c)] = message(c);
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'NQPF center recognition and management: published events',
      version: EVENT_CONTRACTS_VERSION,
      description:
        'Each service publishes its events to nqpf.<service>.events. Record key: the center id (else the ' +
        'stream id), so one center’s events stay in order on one partition. Record value: the JSON event ' +
        'envelope with its payload. Record headers: the envelope id, type, schemaVersion and correlationId ' +
        '(components.schemas.headers); each message fixes the type and version headers to its own, so the ' +
        'headers tell which message, and schema, a record is before its value is parsed. ' +
        'Delivery is at least once: deduplicate by the envelope id. ' +
        VERSIONING_POLICY +
        ` Personal and confidential fields carry ${PERSONAL_DATA_KEYWORD} (a category below) and a ` +
        'description in the schema files, and each message lists them by path; a strict validator must ' +
        'be told of the keyword (docs/contracts/README.md).',
      [`${PERSONAL_DATA_KEYWORD}-categories`]: PERSONAL_DATA_CATEGORIES,
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:19092',
        protocol: 'kafka',
        description: 'Local development broker (deploy/local/infra.sh).',
      },
    },
    channels,
    operations,
    components: {
      messages,
      schemas: {
        key: {
          type: 'string',
          description: 'The center id (envelope centerId); the stream id for events not about a center.',
        },
        headers: {
          type: 'object',
          description:
            "The headers of every record. Each message's headers schema is this one with nqpf-event-type and " +
            'nqpf-schema-version fixed (const) to its own type and version.',
          required: ['nqpf-event-id', 'nqpf-event-type', 'nqpf-schema-version', 'nqpf-correlation-id'],
          properties: {
            'nqpf-event-id': { type: 'string', description: 'Envelope id.' },
            'nqpf-event-type': { type: 'string', description: 'Envelope type (wire name).' },
            'nqpf-schema-version': {
              type: 'string',
              pattern: '^[1-9][0-9]*$',
              description: 'Envelope schemaVersion, as decimal text.',
            },
            'nqpf-correlation-id': { type: 'string', description: 'Envelope correlationId.' },
            'nqpf-seal': {
              type: 'string',
              pattern: '^[0-9a-f]{16}:[A-Za-z0-9+/=]+$',
              description:
                "On the last event of each append: the producing service's seal, `<keyId>:<signature>`, the signature a base64 Ed25519 signature of the text `<from>:<hash>` (`from` the previousHash of the append's first event, empty for a new stream; `hash` this event's) (docs/audit.md, \"Seals\"); absent on other events.",
            },
          },
        },
      },
    },
  };
}
