import type { Pool, PoolClient } from 'pg';

/** A node of `EXPLAIN (FORMAT JSON)`: the fields the plan guards read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  /** With `verbose`: the columns the node outputs. */
  Output?: string[];
  /** With `analyze`. */
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

export interface ExplainOptions {
  /** Set local for the transaction, e.g. `enable_seqscan: 'off'`: asks whether an index *can* serve a
   *  statement, which a test table too small for the planner to prefer it still answers. */
  settings?: Record<string, string>;
  analyze?: boolean;
  verbose?: boolean;
}

/**
 * The plan of every statement `run` sends through the client it is given: each is explained on its exact
 * text and parameters, then run, so `run` carries on with real answers — all in one transaction rolled back
 * after, with `settings` set local.
 */
export async function explainPlans(
  pool: Pool,
  run: (client: PoolClient) => Promise<unknown>,
  options: ExplainOptions = {},
): Promise<PlanNode[]> {
  const client = await pool.connect();
  const plans: PlanNode[] = [];
  const flags = [
    'format json',
    ...(options.analyze ? ['analyze'] : []),
    ...(options.verbose ? ['verbose'] : []),
  ];
  const explaining = new Proxy(client, {
    get(target, key) {
      if (key !== 'query') return Reflect.get(target, key);
      return async (text: string, values?: unknown[]) => {
        const { rows } = await target.query(`explain (${flags.join(', ')}) ${text}`, values);
        plans.push((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
        return target.query(text, values);
      };
    },
  });
  try {
    await client.query('begin');
    for (const [name, value] of Object.entries(options.settings ?? {}))
      await client.query(`select set_config($1, $2, true)`, [name, value]);
    await run(explaining);
    return plans;
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

/** Every node of a plan, root first, each with the nodes above it (root first). */
export function planNodes(plan: PlanNode, above: PlanNode[] = []): { node: PlanNode; above: PlanNode[] }[] {
  return [
    { node: plan, above },
    ...(plan.Plans ?? []).flatMap((child) => planNodes(child, [...above, plan])),
  ];
}

/** One node of a plan: its type and, for a scan, the relation and index it reads. */
export interface PlanStep {
  nodeType: string;
  relation?: string;
  index?: string;
}

/** The steps of each statement's plan (explainPlans, flattened): what most guards ask. */
export async function planSteps(
  pool: Pool,
  settings: Record<string, string>,
  run: (client: PoolClient) => Promise<unknown>,
): Promise<PlanStep[][]> {
  const plans = await explainPlans(pool, run, { settings });
  return plans.map((plan) =>
    planNodes(plan).map(({ node }) => ({
      nodeType: node['Node Type'],
      ...(node['Relation Name'] ? { relation: node['Relation Name'] } : {}),
      ...(node['Index Name'] ? { index: node['Index Name'] } : {}),
    })),
  );
}
