import {
  type DeadLetter,
  NoDeadLetterTopicError,
  readDeadLetters,
  redeliver,
  replayCleanupsDone,
} from '@nqpf/messaging';
import { kafkaConfigSpec } from '@nqpf/platform';
import { configFromEnv, kafkaOf, LOCAL_DEFAULTS_HELP } from '../environment';
import { required, runCommand } from '../options';
import { UsageError } from '../usage';

export const summary = "list a consumer group's dead letters; produce chosen ones back to their topic";

const USAGE = `usage: nqpf dlt list|redeliver --group GROUP [--offset N …]
  list       every record of GROUP's dead-letter topic (GROUP.dlt): its offset there, where it came from
             (topic, partition, offset), the event id and type, the reason, attempts and error
  redeliver  produces the dead letters at the given --offset(s) (required) back to their original topic,
             with their key and headers: every group of that topic reads them again; those that applied
             the event drop it, the failed one applies it now. Fix the cause first (docs/operations.md,
             NqpfDeadLettered). A registry read model (a GROUP with .registry.projection.) drops a record
             older than what it applied: rebuild it instead (nqpf rebuild).
Kafka from the environment as the services read it (KAFKA_BROKERS, KAFKA_TLS*, KAFKA_SASL_*): list as the
group's service (its principal reads GROUP.dlt); redeliver with a principal that may also write the original
topic, another service's (an operator's KAFKA_SASL_* for this one command, not a grant to the service).
${LOCAL_DEFAULTS_HELP}
Exit 0 done, 1 Kafka could not be read or written, 2 invalid input.`;

const COMMAND = {
  name: 'dlt',
  usage: USAGE,
  options: {
    group: { type: 'string' },
    offset: { type: 'string', multiple: true, only: ['redeliver'] },
  },
  actions: ['list', 'redeliver'],
} as const;

export async function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runCommand(COMMAND, args, async ({ values, action }) => {
    const group = values.group;
    if (!group || !/^[A-Za-z0-9._-]{1,200}$/.test(group))
      throw new UsageError(`--group: a consumer group id (letters, digits, . _ -), got '${group ?? ''}'`);
    const offsets =
      action === 'redeliver'
        ? required(
            values.offset,
            'offset',
            'to redeliver: the dead letters to produce again (nqpf dlt list shows them)',
          )
        : [];
    const bad = offsets.find((o) => !/^(0|[1-9][0-9]{0,18})$/.test(o));
    if (bad !== undefined) throw new UsageError(`--offset: expected an offset ≥ 0, got '${bad}'`);

    const kafka = kafkaOf('nqpf-dlt', configFromEnv(kafkaConfigSpec, env));
    let letters: DeadLetter[];
    try {
      // A throwaway group inside the service's own namespace (its ACLs), deleted afterwards.
      letters = await readDeadLetters(kafka, group, `${group}.dlt-read.`);
      await replayCleanupsDone();
    } catch (err) {
      if (err instanceof NoDeadLetterTopicError)
        throw new UsageError(
          `--group: ${err.message}: not a consumer group of this system, or it never ran; groups with one: ` +
            (err.groups.join(', ') || 'none'),
        );
      process.stderr.write(`nqpf dlt: cannot read ${group}.dlt: ${(err as Error).message}\n`);
      return 1;
    }
    if (action === 'list') {
      for (const l of letters) process.stdout.write(`${line(l)}\n`);
      process.stdout.write(`${letters.length} dead letters in ${group}.dlt\n`);
      return 0;
    }
    const chosen = offsets.map((offset) => letters.find((l) => l.offset === offset));
    const missing = offsets.filter((_, i) => chosen[i] === undefined);
    if (missing.length > 0)
      throw new UsageError(`--offset: ${group}.dlt has no record at ${missing.join(', ')}`);
    if (group.includes('.registry.projection.'))
      process.stdout.write(
        `warning: ${group} is a read model: it drops a record older than what it applied; rebuild it (nqpf rebuild) if this does not show\n`,
      );
    try {
      await redeliver(kafka, chosen as DeadLetter[]);
    } catch (err) {
      process.stderr.write(`nqpf dlt: redeliver: ${(err as Error).message}\n`);
      return 1;
    }
    for (const l of chosen as DeadLetter[]) process.stdout.write(`redelivered ${line(l)}\n`);
    return 0;
  });
}

function line(l: DeadLetter): string {
  const event = l.eventId ? `event ${l.eventId} ${l.eventType ?? '(no type)'}` : 'no event (unparseable)';
  return (
    `offset ${l.offset}: from ${l.originalTopic} partition ${l.originalPartition} offset ${l.originalOffset}, ` +
    `${event}, ${l.reason} after ${l.attempts} attempts at ${l.failedAt}: ${l.error.split('\n')[0]}`
  );
}
