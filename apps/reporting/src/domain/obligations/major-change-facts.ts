import { canonicalJson, type MajorChangeKindV1 } from '@nqpf/contracts';
import {
  AREA_TEXT_PROBLEM,
  areaInTwoPlaces,
  type Facts,
  InvalidInputError,
  isAreaText,
  quotedInput,
  readFactTerms,
  readInstitution,
  readStrategicCooperation,
  requireCreditCode,
  requireFactName,
} from '@nqpf/domain';
import {
  addYears,
  FUNCTIONS,
  isBlankText,
  isLocalDate,
  isValidCreditCode,
  readEligibilityFacts,
  SERVICES,
} from '@nqpf/rules';

/**
 * A fact is a value, an area (m², a decimal string as at intake), one read by intake's reader for that field
 * (libs/domain's art6-fact-fields: names, credit codes, kinds and levels, codes and tags), a list (always
 * given whole) of items of a shape, or a group of named fields.
 */
type Reader = (field: string, value: unknown) => unknown;
type Shape = 'value' | 'area' | Reader | { list: Shape } | { fields: Record<string, Shape> };

const group = (fields: Record<string, Shape>): Shape => ({ fields });
const list = (item: Shape): Shape => ({ list: item });

/** The art. 6 facts a major change may report, in the shape of the application facts (ApplicationFactsV1). */
const FACTS: Record<string, { rule: string; shape: Shape }> = {
  premises: { rule: 'A6.1', shape: group({ buildingAreaM2: 'area' }) },
  services: { rule: 'A6.2', shape: (field, value) => readFactTerms(field, value, SERVICES) },
  functions: { rule: 'A6.2', shape: (field, value) => readFactTerms(field, value, FUNCTIONS) },
  functionTags: { rule: 'A3', shape: (field, value) => readFactTerms(field, value) },
  institutions: { rule: 'A6.3', shape: list(readInstitution) },
  strategicCooperations: { rule: 'A6.3', shape: list(readStrategicCooperation) },
  operator: { rule: 'A6.4', shape: group({ name: requireFactName, creditCode: requireCreditCode }) },
  team: {
    rule: 'A6.4',
    shape: group({
      staffInPost: 'value',
      brokers: group({ junior: 'value', intermediate: 'value', senior: 'value' }),
    }),
  },
  activities: {
    rule: 'A6.5',
    shape: group({ count: 'value', periodFrom: 'value', periodTo: 'value' }),
  },
};

/**
 * What the art. 6 check reads, in the order of the articles. A missing count is never taken as 0 nor a
 * missing operating entity as none: libs/rules' reader would, and the center would be revoked for a gap in
 * the report (A16 is final).
 */
const REQUIRED = [
  'premises.buildingAreaM2',
  'services',
  'functions',
  'institutions',
  'strategicCooperations',
  'operator.name',
  'operator.creditCode',
  'team.staffInPost',
  'team.brokers.junior',
  'team.brokers.intermediate',
  'team.brokers.senior',
  'activities.count',
];

/** Facts each kind of change must itself report, so a change is never checked on the facts it replaced. */
const REPORTED_WITH: Partial<Record<MajorChangeKindV1, string[]>> = {
  area_changed: ['premises.buildingAreaM2'],
  // The property owner ending cooperation puts the premises in question: checked on what is there now.
  investor_ended_cooperation: ['premises.buildingAreaM2'],
  // A new entity has its own credit code; keeping the old one would check a mix of both.
  operator_changed: ['operator.name', 'operator.creditCode'],
};

const isObject = (v: unknown): v is Facts => typeof v === 'object' && v !== null && !Array.isArray(v);
const isAbsent = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && isBlankText(v));
const ruleOf = (path: string) => FACTS[path.split('.')[0]!]!.rule;

function fail(field: string, rule: string, problem: string): never {
  throw new InvalidInputError(`newFacts.${field}`, `${rule}: ${problem}`);
}

/** A reader's 400 with the article it is about (`newFacts.operator.name: A6.4: must be at most 200 characters`). */
function underRule<T>(rule: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidInputError)
      throw new InvalidInputError(error.field, `${rule}: ${error.problem}`);
    throw error;
  }
}

/**
 * Known names, groups as objects, lists as lists, and each field intake reads held to intake's rule for it
 * (texts bounded, names without bidi controls, credit codes checked, kinds and levels from their lists, codes
 * not misspelt), written as intake records it (trimmed, codes upper-case, terms once): A16 re-checks art. 6
 * on facts in the shape of the application facts, and what intake refuses a change cannot record. Counts and
 * dates are read by libs/rules after the merge, but a number JSON cannot hold (1e400 parses to Infinity) is
 * refused here: the duplicate check's key, taken before, could not be written. An area is a decimal string
 * with up to two places, as intake requires it, recorded with two places: a JSON number reaches here already
 * rounded by JSON.parse (4999.9999999999999 as 5000), past the two-decimals check, and A16's re-check is final.
 */
function readShape(value: unknown, shape: Shape, field: string, rule: string): unknown {
  if (shape === 'area') {
    if (!isAreaText(value))
      fail(
        field,
        rule,
        `${AREA_TEXT_PROBLEM}, as at intake ("4800.00")` +
          (typeof value === 'number' ? ', not a JSON number (read, it may have been rounded)' : ''),
      );
    // Written one way, as intake records it: "5600" and "5600.00" are the same change (duplicate check).
    return areaInTwoPlaces(value);
  }
  if (shape === 'value') {
    const at = nonFiniteAt(value);
    if (at !== undefined) fail(`${field}${at}`, rule, 'must be a finite number');
    return value;
  }
  if (typeof shape === 'function') return underRule(rule, () => shape(`newFacts.${field}`, value));
  if ('list' in shape) {
    if (!Array.isArray(value)) fail(field, rule, 'must be a list (given whole)');
    return value.map((item, i) => readShape(item, shape.list, `${field}[${i}]`, rule));
  }
  if (!isObject(value)) fail(field, rule, `must be an object with ${Object.keys(shape.fields).join(', ')}`);
  const read: Facts = {};
  for (const [key, inner] of Object.entries(value)) {
    const known = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined;
    if (!known) fail(`${field}.${key}`, rule, `unknown fact; known: ${Object.keys(shape.fields).join(', ')}`);
    read[key] = readShape(inner, known, `${field}.${key}`, rule);
  }
  return read;
}

/** Where in `value` a number JSON cannot hold sits ('' for the value itself, '[0]', '.x'), if anywhere. */
function nonFiniteAt(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : '';
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = nonFiniteAt(inner);
    if (at !== undefined) return `${Array.isArray(value) ? `[${key}]` : `.${key}`}${at}`;
  }
  return undefined;
}

/**
 * The reported facts: an object of known art. 6 facts only (an unknown one is refused, never ignored). A
 * change of business direction alone may change none (A16 still re-checks the facts as they stand).
 */
export function readNewFacts(raw: unknown, changes: readonly MajorChangeKindV1[]): Facts {
  const directionOnly = changes.length === 1 && changes[0] === 'direction_changed';
  if (!isObject(raw))
    throw new InvalidInputError('newFacts', 'A16: must be an object with the art. 6 facts that changed');
  if (Object.keys(raw).length === 0 && !directionOnly) {
    // Name what the change must report where the kind says (area_changed: the new area), not the object.
    const kind = changes.find((k) => REPORTED_WITH[k]);
    if (kind)
      fail(
        REPORTED_WITH[kind]![0]!,
        'A16',
        `a change '${kind}' must report the new ${REPORTED_WITH[kind]![0]}`,
      );
    throw new InvalidInputError(
      'newFacts',
      'A16: name the art. 6 facts that changed (empty only for a direction_changed alone)',
    );
  }
  const read: Facts = {};
  for (const [key, value] of Object.entries(raw)) {
    const fact = Object.hasOwn(FACTS, key) ? FACTS[key] : undefined;
    if (!fact) fail(key, 'A16', `unknown fact; known: ${Object.keys(FACTS).join(', ')}`);
    read[key] = readShape(value, fact.shape, key, fact.rule);
  }
  return read;
}

function firstMissing(facts: Facts, path: string): string | null {
  let at: unknown = facts;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    at = isObject(at) ? at[parts[i]!] : undefined;
    if (isAbsent(at)) return parts.slice(0, i + 1).join('.');
  }
  return null;
}

/**
 * The facts each kind of change names are in `newFacts` itself; an activity period is given whole (one
 * end kept from before would make a period that was never counted, and the re-check would revoke on it).
 */
export function requireReportedWithChange(changes: MajorChangeKindV1[], newFacts: Facts): void {
  for (const kind of changes)
    for (const path of REPORTED_WITH[kind] ?? []) {
      const missing = firstMissing(newFacts, path);
      if (missing) fail(missing, 'A16', `a change '${kind}' must report the new ${path}`);
    }
  const activities = newFacts.activities;
  if (isObject(activities) && isAbsent(activities.periodFrom) !== isAbsent(activities.periodTo))
    fail(
      isAbsent(activities.periodFrom) ? 'activities.periodFrom' : 'activities.periodTo',
      'A6.5',
      'the activity period is given whole: periodFrom and periodTo together',
    );
}

/**
 * A6.5's period as a typing matter, as intake checks it: dates, forwards, at most 12 months. A period that
 * runs backwards is a mistake to correct, not a finding that revokes the center (A16 is final).
 */
function requireActivityPeriod(facts: Facts): void {
  const activities = isObject(facts.activities) ? facts.activities : {};
  const { periodFrom: from, periodTo: to } = activities;
  if (isAbsent(from) && isAbsent(to)) return;
  if (!isLocalDate(from))
    fail('activities.periodFrom', 'A6.5', `must be a date YYYY-MM-DD, got ${quotedInput(from)}`);
  if (!isLocalDate(to))
    fail('activities.periodTo', 'A6.5', `must be a date YYYY-MM-DD, got ${quotedInput(to)}`);
  if (to < from) fail('activities.periodTo', 'A6.5', `must not be before periodFrom ${from}`);
  const yearAfter = addYears(from, 1);
  if (to >= yearAfter)
    fail(
      'activities.periodTo',
      'A6.5',
      `the activity period spans at most 12 months: it ends before ${yearAfter}`,
    );
}

/** Every fact the art. 6 check reads is present after the merge; `note` says where it should come from. */
export function requireCompleteFacts(facts: Facts, note: string): void {
  const [first, ...others] = new Set(
    REQUIRED.map((path) => firstMissing(facts, path)).filter((m): m is string => m !== null),
  );
  if (first)
    fail(
      first,
      ruleOf(first),
      'missing; art. 6 is checked on it' +
        (others.length ? ` (also missing: ${others.join(', ')})` : '') +
        note,
    );
  requireActivityPeriod(facts);
  const code = (facts.operator as Facts).creditCode;
  // An invalid code is a typing error to correct, not a finding that revokes the center.
  if (typeof code !== 'string' || !isValidCreditCode(code))
    fail('operator.creditCode', 'A6.4', `not a valid unified social credit code: ${quotedInput(code)}`);
}

/**
 * What makes two reports the same major change: its kinds, its effective day and the facts it reports (the
 * description is free text). The same again — a retry without Idempotency-Key, a second click — is refused.
 */
export function majorChangeKey(changes: readonly string[], effectiveOn: string, newFacts: Facts): string {
  return canonicalJson({ changes: [...changes].sort(), effectiveOn, newFacts });
}

/**
 * The facts before a change as the A16 re-check compares with (factsBeforeChange), when it can read them
 * whole: a recognition may have brought only some, which a report completes — then nothing before is known.
 */
export function factsBeforeChange(known: Facts | null): Facts | undefined {
  if (known === null) return undefined;
  try {
    readEligibilityFacts(known);
    return known;
  } catch {
    return undefined;
  }
}
