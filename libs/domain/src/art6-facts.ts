/** A center's art. 6 facts as recorded (a recognition's, a major change's newFacts): JSON objects. */
export type Facts = Record<string, unknown>;

const isObject = (v: unknown): v is Facts => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The facts after a change (A16): a group given (premises, operator, team, team.brokers, activities) changes
 * only the fields it gives, the others keep their last known value; a list or a value given replaces the old
 * one. Reporting decides with it and the audit replay rebuilds what reporting decided on.
 */
export function mergeFacts(known: Facts | null, changed: Facts): Facts {
  const merged: Facts = { ...(known ?? {}) };
  for (const [key, value] of Object.entries(changed)) {
    const before = Object.hasOwn(merged, key) ? merged[key] : undefined;
    // defineProperty, not assignment: a key named __proto__ stays a plain field, as in a spread.
    Object.defineProperty(merged, key, {
      value: isObject(value) && isObject(before) ? mergeFacts(before, value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

/**
 * The facts as they stood on `day` (every change when no day): the recognised facts with the changes
 * effective on or before it merged in, in the order they took effect (reported order within a day). A
 * change reported late is so judged against the facts of its time, not against a change that came after it.
 */
export function factsOn(
  recognized: Facts | null,
  changes: readonly { effectiveOn: string; newFacts: Facts }[],
  day?: string,
): Facts | null {
  return changes
    .filter((c) => day === undefined || c.effectiveOn <= day)
    .sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn))
    .reduce<Facts | null>((facts, c) => mergeFacts(facts, c.newFacts), recognized);
}
