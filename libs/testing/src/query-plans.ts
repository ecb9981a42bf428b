import type { Pool, PoolClient } from 'pg';

/** One node of a plan: its type and, for a scan, the relation and index it reads. */
export interface PlanStep {
  nodeType: string;
  relation?: string;
  index?: string;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/**
 * The plan steps of every statement `run` sends through the client it is given: each is explained
 * (`EXPLAIN (FORMAT JSON)`, not run) inside a transaction rolled back after, with `settings` set local —
 * e.g. `enable_seqscan: 'off'` asks whether an index *can* serve the statement, which a test table too
 * small for the planner to prefer it still answers. `run` sees no rows.
 */
export async function planSteps(
  pool: Pool,
  settings: Record<string, string>,
  run: (client: PoolClient) => Promise<unknown>,
): Promise<PlanStep[][]> {
  const client = await pool.connect();
  const plans: PlanStep[][] = [];
  const explaining = new Proxy(client, {
    get(target, key) {
      if (key !== 'query') return Reflect.get(target, key);
      return async (text: string, values?: unknown[]) => {
        const { rows } = await target.query(`explain (format json) ${text}`, values);
        plans.push(stepsOf((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan));
        return { rows: [], rowCount: 0 };
      };
    },
  });
  try {
    await client.query('begin');
    for (const [name, value] of Object.entries(settings))
      await client.query(`select set_config($1, $2, true)`, [name, value]);
    await run(explaining);
    return plans;
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

function stepsOf(node: PlanNode): PlanStep[] {
  return [
    {
      nodeType: node['Node Type'],
      ...(node['Relation Name'] ? { relation: node['Relation Name'] } : {}),
      ...(node['Index Name'] ? { index: node['Index Name'] } : {}),
    },
    ...(node.Plans ?? []).flatMap(stepsOf),
  ];
}
