import type { QueryConfig, QueryResult, QueryResultRow } from 'pg';

/** A pool, a pool client or a client inside a transaction: anything that runs a query. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    textOrConfig: string | QueryConfig,
    values?: unknown[],
  ): Promise<QueryResult<R>>;
}
