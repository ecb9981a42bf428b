import type { PayloadSchema } from '../payload-schema';

/*
 * Personal and confidential fields of the event contracts. Each such field carries `x-personal-data`
 * (its category) and a description in the JSON Schema files; asyncapi.yaml lists them per message, so a
 * consumer built from the machine-readable contracts is told which fields it must keep restricted.
 */

/** The categories, with who reads each inside the system (docs/security.md, "Personal data"). */
export const PERSONAL_DATA_CATEGORIES = {
  objector:
    "An objector's name, contact and objection text as given (A9.4), and the bureau's register reference " +
    'and investigation note on it. In the system only the bureau and auditors read them; withheld from the ' +
    'center, its district office and experts.',
  expert:
    "An expert's identity: id, name, specialties (A9.1). Who reviewed which center is withheld from the " +
    'center and its district office.',
  'expert-opinion':
    'What one expert concluded about one center (A9.1): score, opinion, site-inspection verdict and finding, ' +
    'and their corrections. Each expert reads their own, the bureau and auditors all; the center reads ' +
    'scores and verdicts without their authors.',
  conflict:
    "An expert's declared conflict of interest (the institution and a reason, which may describe family or " +
    "employment ties) and the bureau's reason for withdrawing an expert (A9.1). The bureau and auditors only.",
  'account-id':
    "A person's account id at the identity provider (its subject): the staff member who acted (actor.id; a " +
    "signed-in objector's own account), or the operator's staff account behind the application. It may be " +
    'a staff number, a phone number or a name.',
} as const;
export type PersonalDataCategory = keyof typeof PERSONAL_DATA_CATEGORIES;

/** The JSON Schema keyword of the mark; a strict validator must be told of it (docs/contracts/README.md). */
export const PERSONAL_DATA_KEYWORD = 'x-personal-data';

/** The same schema, marked as personal data of `category`, with a description of the field. */
export function personal(
  category: PersonalDataCategory,
  description: string,
  schema: PayloadSchema,
): PayloadSchema {
  return { ...schema, [PERSONAL_DATA_KEYWORD]: category, description };
}

/** A marked field: its dotted path in the record value ('[]' for a list's items) and its category. */
export interface PersonalField {
  path: string;
  category: PersonalDataCategory;
}

type SchemaNode = Record<string, unknown>;

/** Every marked field of a JSON Schema (an event's schema file), following its '#/$defs/…' references. */
export function personalFields(schema: SchemaNode): PersonalField[] {
  const found: PersonalField[] = [];
  const walk = (node: SchemaNode, path: string): void => {
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
      walk((schema.$defs as Record<string, SchemaNode>)[ref.slice('#/$defs/'.length)]!, path);
      return;
    }
    const category = node[PERSONAL_DATA_KEYWORD] as PersonalDataCategory | undefined;
    if (category !== undefined) found.push({ path, category });
    const properties = (node.properties ?? {}) as Record<string, SchemaNode>;
    for (const [name, child] of Object.entries(properties)) walk(child, path ? `${path}.${name}` : name);
    if (node.items) walk(node.items as SchemaNode, `${path}[]`);
  };
  walk(schema, '');
  return found;
}
