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
