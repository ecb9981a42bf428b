import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  PERSONAL_DATA_CATEGORIES,
  PERSONAL_DATA_KEYWORD,
  personalFields,
  type PersonalDataCategory,
} from './schemas/personal-data';
import { EVENT_CONTRACTS, schemaFilePath } from './schemas/registry';
import { compileSchemaFiles, contractsAjv, readSchemaFile } from './schemas/testing/schema-files';

/*
 * The fields known to be personal or confidential, per event type (dotted paths in the record value), and
 * their category. A field here that loses its mark in the committed schema files fails; so does a mark not
 * listed here (list it, and name it in docs/contracts/README.md). `actor.id` is on every type.
 */
const KNOWN: Record<string, Record<string, PersonalDataCategory>> = {
  'intake.application-drafted': { 'payload.operatorAccountId': 'account-id' },
  'intake.application-accepted': { 'payload.operatorAccountId': 'account-id' },
  'review.candidacy-opened': { 'payload.operatorAccountId': 'account-id' },
  'review.expert-assigned': { 'payload.expertId': 'expert' },
  'review.expert-unassigned': { 'payload.expertId': 'expert', 'payload.reason': 'conflict' },
  'review.expert-review-recorded': {
    'payload.expertId': 'expert',
    'payload.score': 'expert-opinion',
    'payload.opinion': 'expert-opinion',
  },
  'review.expert-review-revised': {
    'payload.expertId': 'expert',
    'payload.score': 'expert-opinion',
    'payload.opinion': 'expert-opinion',
    'payload.reason': 'expert-opinion',
    'payload.previousScore': 'expert-opinion',
  },
  'review.site-inspection-recorded': {
    'payload.expertId': 'expert',
    'payload.satisfactory': 'expert-opinion',
    'payload.finding': 'expert-opinion',
  },
  'review.site-inspection-revised': {
    'payload.expertId': 'expert',
    'payload.satisfactory': 'expert-opinion',
    'payload.finding': 'expert-opinion',
    'payload.reason': 'expert-opinion',
  },
  'review.objection-raised': {
    'payload.objector.name': 'objector',
    'payload.objector.contact': 'objector',
    'payload.content': 'objector',
    'payload.admissibility.inputs.realName': 'objector',
    'payload.admissibility.inputs.contact': 'objector',
    'payload.letter.reference': 'objector',
  },
  'review.objection-refused': {
    'payload.objector.name': 'objector',
    'payload.objector.contact': 'objector',
    'payload.content': 'objector',
    'payload.admissibility.inputs.realName': 'objector',
    'payload.admissibility.inputs.contact': 'objector',
    'payload.letter.reference': 'objector',
  },
  'review.objection-investigation-started': { 'payload.note': 'objector' },
  'review.center-recognized': { 'payload.operator.accountId': 'account-id' },
  'review.expert-registered': {
    'payload.expertId': 'expert',
    'payload.name': 'expert',
    'payload.specialties': 'expert',
  },
  'review.expert-conflict-declared': {
    'payload.expertId': 'expert',
    'payload.institution.name': 'conflict',
    'payload.institution.creditCode': 'conflict',
    'payload.reason': 'conflict',
  },
  'reporting.obligations-opened': { 'payload.operatorId': 'account-id' },
  'assessment.center-tracked': { 'payload.operatorId': 'account-id' },
  'finance.subsidy-account-opened': { 'payload.operatorId': 'account-id' },
};

/** Field names that are personal wherever they appear: a new event carrying one must mark it. */
const ALWAYS_PERSONAL = ['expertId', 'operatorAccountId', 'operatorId', 'accountId', 'realName', 'contact'];

const ROOT = join(__dirname, '..', '..', '..');
const FILES = EVENT_CONTRACTS.map((c) => [c.type, schemaFilePath(c)] as const);

/** The node at a dotted path of a schema file (properties only; '$defs' references followed). */
function nodeAt(schema: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = schema;
  for (const name of path.split('.')) {
    const ref: unknown = node?.$ref;
    if (typeof ref === 'string')
      node = (schema.$defs as Record<string, Record<string, unknown>>)[ref.slice('#/$defs/'.length)];
    node = (node?.properties as Record<string, Record<string, unknown>> | undefined)?.[name];
  }
  return node;
}

/** Every dotted property path of a schema file ('[]' for a list's items). */
function fieldPaths(node: Record<string, unknown>, path = ''): string[] {
  const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
  const items = node.items as Record<string, unknown> | undefined;
  return [
    ...Object.entries(properties).flatMap(([name, child]) => {
      const at = path ? `${path}.${name}` : name;
      return [at, ...fieldPaths(child, at)];
    }),
    ...(items ? fieldPaths(items, `${path}[]`) : []),
  ];
}

function expectedMarks(type: string): Record<string, PersonalDataCategory> {
  return { 'actor.id': 'account-id', ...(KNOWN[type] ?? {}) };
}

describe('event contracts: personal and confidential fields are marked', () => {
  it.each(FILES)(
    '%s keeps the mark, with a description, on each field known to be personal',
    (type, file) => {
      const schema = readSchemaFile(file);
      const lost = Object.entries(expectedMarks(type)).flatMap(([path, category]) => {
        const node = nodeAt(schema, path);
        if (!node) return [`${path}: no such field`];
        if (node[PERSONAL_DATA_KEYWORD] !== category)
          return [
            `${path}: ${PERSONAL_DATA_KEYWORD} is ${String(node[PERSONAL_DATA_KEYWORD])}, not ${category}`,
          ];
        return typeof node.description === 'string' && node.description.length > 0
          ? []
          : [`${path}: no description`];
      });
      expect({ file, lost }).toEqual({ file, lost: [] });
    },
  );

  it.each(FILES)(
    '%s marks no field beyond those listed here (list a new one, and document it)',
    (type, file) => {
      const marked = Object.fromEntries(
        personalFields(readSchemaFile(file)).map((f) => [f.path, f.category]),
      );
      expect({ file, marked }).toEqual({ file, marked: expectedMarks(type) });
    },
  );

  it('marks every field named like a person’s id, name or contact, in every payload', () => {
    const unmarked = FILES.flatMap(([, file]) => {
      const schema = readSchemaFile(file);
      const marked = new Set(personalFields(schema).map((f) => f.path));
      return fieldPaths(schema)
        .filter((path) => ALWAYS_PERSONAL.includes(path.split('.').pop()!) && !marked.has(path))
        .map((path) => `${file} ${path}`);
    });
    expect(unmarked).toEqual([]);
  });

  it('compiles in strict mode only with the keyword declared, and refuses a category it does not know', () => {
    expect(compileSchemaFiles().size).toBe(EVENT_CONTRACTS.length);
    const [first] = FILES;
    const bad = JSON.parse(JSON.stringify(readSchemaFile(first[1])).replace('"account-id"', '"accountid"'));
    expect(() => contractsAjv().compile(bad)).toThrow(/x-personal-data/);
    expect(() => new Ajv2020({ strict: true }).compile(readSchemaFile(first[1]))).toThrow(/unknown keyword/);
  });
});

describe('event contracts: asyncapi.yaml tells consumers what is personal', () => {
  interface Doc {
    info: Record<string, unknown>;
    channels: Record<
      string,
      { address: string; description: string; messages: Record<string, { $ref: string }> }
    >;
    components: {
      messages: Record<string, { name: string; [PERSONAL_DATA_KEYWORD]?: Record<string, string> }>;
    };
  }
  const doc = parse(readFileSync(join(ROOT, 'docs', 'contracts', 'asyncapi.yaml'), 'utf8')) as Doc;

  it('lists on each message the fields its schema file marks, by path and category', () => {
    for (const contract of EVENT_CONTRACTS) {
      const message = doc.components.messages[`${contract.type}.v${contract.schemaVersion}`]!;
      expect({ type: contract.type, marks: message[PERSONAL_DATA_KEYWORD] }).toEqual({
        type: contract.type,
        marks: expectedMarks(contract.type),
      });
    }
  });

  it('describes each category, and warns on each channel that Read on the topic grants its personal data', () => {
    expect(doc.info[`${PERSONAL_DATA_KEYWORD}-categories`]).toEqual(PERSONAL_DATA_CATEGORIES);
    const review = Object.values(doc.channels).find((c) => c.address === 'nqpf.review.events')!;
    for (const category of ['objector', 'expert', 'expert-opinion', 'conflict', 'account-id'])
      expect(review.description).toContain(category);
    for (const channel of Object.values(doc.channels))
      expect(channel.description).toContain('docs/security.md, "Personal data"');
  });
});

describe('docs/contracts/README.md names every event type carrying marked personal data', () => {
  const readme = readFileSync(join(ROOT, 'docs', 'contracts', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Personal and confidential data'));

  it.each(Object.keys(KNOWN))('%s', (type) => {
    expect(section.slice(0, section.indexOf('\n## ', 1))).toContain(`\`${type}\``);
  });
});
