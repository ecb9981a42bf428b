import { ROLES } from '../envelope';
import type { PayloadSchema } from '../payload-schema';
import { PERSONAL_DATA_KEYWORD } from './personal-data';
import type { EventContract } from './registry';
import { schemaFilePath } from './registry';

/** Base of the schemas' $id; the relative part is the file's path under libs/contracts/schemas. */
export const SCHEMA_ID_BASE = 'https://contracts.nqpf.local/schemas/';

const INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
const HASH = '^[0-9a-f]{64}$';

/** PayloadSchema is a strict subset of JSON Schema; copy it so the JSON files hold plain data. */
function toJsonSchema(schema: PayloadSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

/** The draft 2020-12 schema of a whole record value: the envelope (libs/contracts envelope.ts) and its payload. */
export function eventJsonSchema(contract: EventContract): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID_BASE + schemaFilePath(contract),
    title: `${contract.type} v${contract.schemaVersion}`,
    description:
      `The JSON value of a Kafka record on nqpf.${contract.service}.events whose type is ${contract.type} ` +
      `at schemaVersion ${contract.schemaVersion}. Unknown fields may appear (optional additions within a version).`,
    type: 'object',
    required: [
      'id',
      'type',
      'schemaVersion',
      'streamId',
      'streamVersion',
      'position',
      'occurredAt',
      'recordedAt',
      'correlationId',
      'causationId',
      'actor',
      'centerId',
      'payload',
      'previousHash',
      'hash',
    ],
    properties: {
      id: { type: 'string', minLength: 1, description: 'Event id (UUIDv7); dedupe on it.' },
      type: { const: contract.type },
      schemaVersion: { const: contract.schemaVersion },
      streamId: { type: 'string', minLength: 1 },
      streamVersion: { type: 'integer', minimum: 1 },
      position: {
        type: 'string',
        pattern: '^[0-9]+$',
        description:
          'Position in the producing service store (a decimal bigint): unique there, not in commit or publication order; never a watermark or de-duplication key (use id, or streamId with streamVersion).',
      },
      occurredAt: { type: 'string', pattern: INSTANT },
      recordedAt: { type: 'string', pattern: INSTANT },
      correlationId: { type: 'string' },
      causationId: { type: ['string', 'null'] },
      actor: { $ref: '#/$defs/actor' },
      centerId: { type: ['string', 'null'], description: 'The center concerned; also the record key.' },
      payload: toJsonSchema(contract.payload),
      previousHash: { type: ['string', 'null'], pattern: HASH },
      hash: { type: 'string', pattern: HASH },
    },
    $defs: {
      actor: {
        type: 'object',
        required: ['id', 'role'],
        properties: {
          id: {
            type: 'string',
            minLength: 1,
            [PERSONAL_DATA_KEYWORD]: 'account-id',
            description:
              "Who acted: a person's account id at the identity provider (a staff member, or a signed-in objector); 'public' for an objection sent without a token, a service's own name for role system.",
          },
          role: { enum: [...ROLES] },
          district: { type: ['string', 'null'] },
          centerId: { type: ['string', 'null'] },
        },
      },
    },
  };
}
