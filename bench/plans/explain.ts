// Runs the statements the project's own query functions send under EXPLAIN (ANALYZE, BUFFERS): a stand-in
// for the pool or client a function is given, which explains each read on its exact text and parameters
// before running it for real (so the function sees its rows and goes on as it would).

/** A node of `EXPLAIN (FORMAT JSON)`: the fields read here. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Temp Written Blocks'?: number;
  Plans?: PlanNode[];
}

export interface Explained {
  text: string;
  params: unknown[];
  /** Execution Time of each EXPLAIN ANALYZE run, ms (rows are not sent to the client). */
  runs: number[];
  /** The plan of the fastest run. */
  plan: PlanNode;
}

type Query = (config: unknown, values?: unknown) => Promise<unknown>;
interface Target {
  query: Query;
}

/** Statements that change data are run, never explained: EXPLAIN ANALYZE would apply them each time. */
const WRITES = /\b(insert\s+into|delete\s+from|update\s+[\w."]+\s+set)\b/i;

function textOf(config: unknown, values: unknown): { text: string; params: unknown[] } {
  if (typeof config === 'string') return { text: config, params: (values as unknown[]) ?? [] };
  const c = config as { text: string; values?: unknown[] };
  return { text: c.text, params: c.values ?? (values as unknown[]) ?? [] };
}

/**
 * `target` (a pg Pool or client) with its `query` explaining each read `measured` accepts `runs` times
 * before running it, then handing `record` the runs; a pool's `connect` gives clients that do the same.
 * Statements are numbered in the order they are sent (`record` gets the number), whatever order they end in.
 */
export function explaining<T extends object>(
  target: T,
  runs: number,
  measured: (text: string) => boolean,
  record: (index: number, explained: Explained) => void,
  counter = { sent: 0 },
): T {
  return new Proxy(target, {
    get(obj, key) {
      const value: unknown = Reflect.get(obj, key);
      if (key === 'query') {
        const query = (value as Query).bind(obj);
        return async (config: unknown, values?: unknown) => {
          const { text, params } = textOf(config, values);
          const read = /^\s*(select|with)\b/i.test(text) && !WRITES.test(text);
          if (read && measured(text)) {
            const index = counter.sent++;
            record(index, await explain(obj as Target, text, params, runs));
          }
          return query(config, values);
        };
      }
      if (key === 'connect' && typeof value === 'function') {
        return async () => {
          const client = (await (value as () => Promise<object>).call(obj)) as object;
          return explaining(client, runs, measured, record, counter);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

async function explain(db: Target, text: string, params: unknown[], runs: number): Promise<Explained> {
  const times: number[] = [];
  let best: PlanNode | undefined;
  for (let i = 0; i < runs; i++) {
    const result = (await db.query(`explain (analyze, buffers, format json) ${text}`, params)) as {
      rows: { 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] }[];
    };
    const [top] = result.rows[0]!['QUERY PLAN'];
    if (!best || top!['Execution Time'] < Math.min(...times)) best = top!.Plan;
    times.push(top!['Execution Time']);
  }
  return { text, params, runs: times, plan: best! };
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
const rowsOut = (node: PlanNode) => (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1);

/** What a plan says about the tables that grow with the city (`large`, relation names). */
export function planTraits(plan: PlanNode, large: ReadonlySet<string>) {
  const all = nodes(plan);
  const readsLarge = (node: PlanNode) =>
    nodes(node).some((n) => n['Relation Name'] !== undefined && large.has(n['Relation Name']));
  // A Sort's input is its child's rows over all loops (every worker's, under a Gather Merge).
  const sorted = all
    .filter((n) => /Sort$/.test(n['Node Type']) && readsLarge(n))
    .map((n) => rowsOut(n.Plans![0]!));
  return {
    /** The large tables read by a sequential scan (parallel or not). */
    seqScans: [
      ...new Set(
        all
          .filter((n) => n['Node Type'] === 'Seq Scan' && large.has(n['Relation Name'] ?? ''))
          .map((n) => n['Relation Name']!),
      ),
    ],
    /** The most rows a Sort or Incremental Sort above a large table took in; 0: none. */
    sortedRows: sorted.length > 0 ? Math.max(...sorted) : 0,
    /** Shared buffers hit and read, the whole statement. */
    blocks: (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0),
    tempBlocks: plan['Temp Written Blocks'] ?? 0,
  };
}
