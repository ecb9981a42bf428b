import type { Queryable } from '@nqpf/event-store';
import { heldRevisions } from './held-revisions';

/** A database holding three centers' holds without a district; records each update. */
function holdsWithoutDistrict() {
  const updates: unknown[][] = [];
  const db: Queryable = {
    query: (async (text: string, values?: unknown[]) => {
      if (/^\s*select/i.test(text))
        return { rows: [{ center_id: 'a' }, { center_id: 'b' }, { center_id: 'c' }] };
      updates.push(values ?? []);
      return { rows: [] };
    }) as Queryable['query'],
  };
  return { db, updates };
}

describe('held corrections: a district for the holds without one', () => {
  it("fills each from its account and leaves, reported, one whose account this replica cannot load (a newer replica's event)", async () => {
    const { db, updates } = holdsWithoutDistrict();
    const failed: string[] = [];
    await heldRevisions.fillDistricts(
      db,
      async (centerId) => {
        if (centerId === 'b') throw new Error('schema version 99 of finance.disbursement-recorded');
        return centerId === 'c' ? null : '南关区';
      },
      (centerId, err) => failed.push(`${centerId}: ${err.message}`),
    );
    expect(updates).toEqual([['a', '南关区']]);
    expect(failed).toEqual(['b: schema version 99 of finance.disbursement-recorded']);
  });
});
