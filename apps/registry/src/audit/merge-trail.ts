/**
 * Merges per-topic lists, each already in its topic's order, into one: at each step the earliest
 * `recordedAt` among the heads goes next, so every topic's own order survives even when clocks of
 * different services disagree. Ties go to the topic named first.
 */
export function mergeByRecordedAt<T extends { topic: string; recordedAt: string }>(entries: T[]): T[] {
  const queues = new Map<string, T[]>();
  for (const entry of entries) {
    const queue = queues.get(entry.topic) ?? [];
    queue.push(entry);
    queues.set(entry.topic, queue);
  }
  const heads = [...queues.keys()].sort();
  const cursor = new Map(heads.map((t) => [t, 0]));
  const merged: T[] = [];
  while (merged.length < entries.length) {
    let next: string | undefined;
    for (const topic of heads) {
      const head = queues.get(topic)![cursor.get(topic)!];
      if (!head) continue;
      if (next === undefined) next = topic;
      else {
        const best = queues.get(next)![cursor.get(next)!]!;
        if (Date.parse(head.recordedAt) < Date.parse(best.recordedAt)) next = topic;
      }
    }
    merged.push(queues.get(next!)![cursor.get(next!)!]!);
    cursor.set(next!, cursor.get(next!)! + 1);
  }
  return merged;
}

/**
 * One page of the merge after a position (per topic, the seq of its last line shown), from each topic's
 * next lines after it, in its order: at most `limit` lines, and the position after them when a line follows.
 * Given each topic's next `limit` + 1 lines (or all it has left), the page is the whole merge's: the merge
 * keeps no state but the topics' heads, no topic gives a page more than `limit` lines, and a line follows
 * the page exactly when more than `limit` were given.
 */
export function mergedPage<T extends { topic: string; recordedAt: string; seq: string }>(
  next: T[],
  after: ReadonlyMap<string, string>,
  limit: number,
): { shown: T[]; next: ReadonlyMap<string, string> | null } {
  const merged = mergeByRecordedAt(next);
  const shown = merged.slice(0, limit);
  if (merged.length <= limit) return { shown, next: null };
  // Each topic's lines come in its order (seq), so its last shown is the furthest.
  const position = new Map(after);
  for (const { topic, seq } of shown) position.set(topic, seq);
  return { shown, next: position };
}
