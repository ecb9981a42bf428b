import { ident, Projector, Queryable } from './projector';

/**
 * md5 over every read-model table's rows in primary-key order (row text form), then over the per-table
 * digests: equal checksums mean equal models. Runtime tables (checkpoints, versions) are left out, since a
 * rebuild legitimately stops at different offsets than the live model has reached.
 */
export async function readModelChecksum(
  db: Queryable,
  projector: Projector,
  schema: string,
): Promise<string> {
  const parts: string[] = [];
  for (const table of projector.tables) {
    const order = table.primaryKey.map((c) => `t.${ident(c)}`).join(', ');
    const { rows } = await db.query(
      `select md5(coalesce(string_agg(t::text, E'\\n' order by ${order}), '')) as digest
         from ${ident(schema)}.${ident(table.name)} t`,
    );
    parts.push(`${table.name}:${rows[0]!.digest as string}`);
  }
  const { rows } = await db.query('select md5($1) as digest', [parts.join(';')]);
  return rows[0]!.digest as string;
}
