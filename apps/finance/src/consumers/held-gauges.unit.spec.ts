import { Registry } from 'prom-client';
import type { Queryable } from '@nqpf/event-store';
import { heldRevisions } from './held-revisions';

const NAMES = ['finance_held_grade_revisions', 'finance_oldest_held_grade_revision_age_seconds'];

/** The sample lines of the two gauges (HELP and TYPE aside). */
async function samples(registry: Registry): Promise<string[]> {
  const text = await registry.metrics();
  return text.split('\n').filter((line) => NAMES.some((n) => line.startsWith(`${n} `)));
}

const database = (answer: (text: string) => Promise<unknown>): Queryable => ({
  query: ((text: string) => answer(text)) as unknown as Queryable['query'],
});

describe("finance's held gauges when the database cannot answer", () => {
  it('leave no sample while the database refuses connections (unknown, not "nothing held")', async () => {
    const registry = new Registry();
    heldRevisions.registerGauges(
      registry,
      database(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:15432'))),
    );
    expect(await samples(registry)).toEqual([]);
  });

  it('answer the scrape within the timeout, without a sample, while the database never answers', async () => {
    const registry = new Registry();
    heldRevisions.registerGauges(
      registry,
      database(() => new Promise(() => undefined)),
      { timeoutMs: 50 },
    );
    const started = Date.now();
    expect(await samples(registry)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  }, 3000);

  it('read the table at each scrape, and drop the sample once it can no longer be read', async () => {
    const registry = new Registry();
    let up = true;
    heldRevisions.registerGauges(
      registry,
      database(async (text) => {
        if (!up) throw new Error('connection terminated');
        return { rows: [{ v: text.includes('count(*)') ? 3 : 120.5 }] };
      }),
    );
    expect(await samples(registry)).toEqual([
      'finance_held_grade_revisions 3',
      'finance_oldest_held_grade_revision_age_seconds 120.5',
    ]);
    up = false;
    expect(await samples(registry)).toEqual([]);
  });
});
