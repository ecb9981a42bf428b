import { Pool } from 'pg';
import { replayCleanupsDone } from '@nqpf/messaging';
import { kafkaConfigSpec, type VarSpec } from '@nqpf/platform';
import { configFromEnv, kafkaOf } from '../environment';
import { READ_MODEL_NAMES, ReadModelName } from '../../../registry/src/rebuild/read-models';
import {
  ReadModelRebuild,
  rebuildReadModels,
  RebuildReadModelsOptions,
} from '../../../registry/src/rebuild/rebuild-read-models';
import { runCommand } from '../options';
import { UsageError } from '../usage';

export const summary =
  "rebuild the registry's read models (standing, ledger) from offset zero; print live and rebuilt checksums";

const USAGE = `usage: nqpf rebuild [--read-model ${READ_MODEL_NAMES.join('|')}] [--verify-only] [--json]
Replays every topic from offset zero into a fresh schema and swaps it in (one transaction, advisory lock).
--verify-only  build beside the live model, compare checksums, drop the build; exit 1 if they differ
Environment: DATABASE_URL (the registry's), KAFKA_BROKERS (comma-separated), KAFKA_TOPIC_PREFIX (default
nqpf), and KAFKA_TLS, KAFKA_TLS_CA_FILE, KAFKA_SASL_* as for the services (docs/operations.md). With
NODE_ENV unset, development or test and neither DATABASE_URL nor KAFKA_BROKERS set, it uses the local stack's
registry database and broker (the ports npm start recorded in .local/run/ports.env, else deploy/config.env's)
and says so on stderr; with one set, the other is required too (exit 2 naming it).`;

export interface RebuildDependencies {
  rebuild(options: Omit<RebuildReadModelsOptions, 'kafka' | 'pool'>): Promise<ReadModelRebuild[]>;
}

const connectionSpec = {
  DATABASE_URL: { kind: 'url', protocols: ['postgres', 'postgresql'] },
  ...kafkaConfigSpec,
} satisfies Record<string, VarSpec>;

/** Connects with the environment's database and brokers (as the services do); closes both when done. */
function connect(env: NodeJS.ProcessEnv): RebuildDependencies {
  const config = configFromEnv(connectionSpec, env, { localDatabase: 'registry' });
  const kafka = kafkaOf('nqpf-rebuild', config);
  return {
    async rebuild(options) {
      const pool = new Pool({
        connectionString: config.DATABASE_URL,
        max: 6,
        application_name: 'nqpf-rebuild',
      });
      try {
        return await rebuildReadModels({ ...options, pool, kafka });
      } finally {
        await pool.end();
        await replayCleanupsDone(); // the replays' throwaway groups deleted before the command exits
      }
    },
  };
}

function format(r: ReadModelRebuild): string {
  // No live model (a new or restored database): nothing to compare, which is not a difference.
  const verdict = r.liveChecksum === null ? 'no live model' : r.matches ? 'equal' : 'DIFFERENT';
  return `${r.readModel}: live ${r.liveChecksum ?? '(none)'} rebuilt ${r.rebuiltChecksum} ${verdict}; ${
    r.swapped ? 'swapped in' : 'not swapped'
  } (${r.records} records, ${r.applied} applied, ${r.rejected} rejected)`;
}

const COMMAND = {
  name: 'rebuild',
  usage: USAGE,
  options: {
    'read-model': { type: 'string' },
    'verify-only': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
} as const;

export async function run(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  dependencies?: RebuildDependencies,
): Promise<number> {
  return runCommand(COMMAND, args, async ({ values }) => {
    const readModel = readModelOf(values['read-model']);
    const deps = dependencies ?? connect(env);
    try {
      const results = await deps.rebuild({
        topicPrefix: env.KAFKA_TOPIC_PREFIX || 'nqpf',
        verifyOnly: values['verify-only'],
        only: readModel ? [readModel] : undefined,
      });
      process.stdout.write(
        values.json ? `${JSON.stringify(results, null, 2)}\n` : results.map((r) => `${format(r)}\n`).join(''),
      );
      return values['verify-only'] && results.some((r) => !r.matches) ? 1 : 0;
    } catch (err) {
      process.stderr.write(`nqpf rebuild: ${(err as Error).message}\n`);
      return 1;
    }
  });
}

function readModelOf(value: string | undefined): ReadModelName | undefined {
  if (value !== undefined && !(READ_MODEL_NAMES as readonly string[]).includes(value))
    throw new UsageError(`--read-model: must be one of ${READ_MODEL_NAMES.join(', ')}, got "${value}"`);
  return value as ReadModelName | undefined;
}
