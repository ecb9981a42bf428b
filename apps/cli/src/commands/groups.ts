import { kafkaConfigSpec, type KafkaConfig } from '@nqpf/platform';
import { configFromEnv, kafkaOf, LOCAL_DEFAULTS_HELP } from '../environment';
import { runCommand } from '../options';
import { UsageError } from '../usage';

export const summary =
  "list this system's consumer groups; reset a stopped one to the earliest offsets (recovery)";

const USAGE = `usage: nqpf groups list [--prefix P] | reset --group GROUP --to-earliest [--dry-run]
  list   the consumer groups whose id starts with P (default: KAFKA_TOPIC_PREFIX and '.'), each with its
         state and its members' client ids: those the principal may describe
  reset  sets GROUP's committed offset on every topic and partition it has committed one for to the earliest
         offset the partition still holds (0 unless records were deleted), as kafka-consumer-groups.sh
         --reset-offsets --to-earliest --all-topics does, and prints each partition's old -> new offset.
         --to-earliest is required (the only reset there is); --dry-run prints them and changes nothing.
         Refused while GROUP has members (exit 1, naming their client ids): scale its service to 0 first. A
         group that has committed nothing is left as it is: it starts from the beginning anyway. Only this
         system's groups, under KAFKA_TOPIC_PREFIX and '.', are reset (another, exit 2).
Kafka from the environment as the services read it (KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_TLS*,
KAFKA_SASL_*), as the principal of the group's service: in a toolbox pod with its Secret while the service
is scaled to 0 (docs/operations.md "Backups and recovery").
${LOCAL_DEFAULTS_HELP}
Exit 0 done (or nothing committed), 1 Kafka could not be read or written or GROUP has members, 2 invalid
input.`;

const COMMAND = {
  name: 'groups',
  usage: USAGE,
  options: {
    prefix: { type: 'string', only: ['list'] },
    group: { type: 'string', only: ['reset'] },
    'to-earliest': { type: 'boolean', only: ['reset'] },
    'dry-run': { type: 'boolean', only: ['reset'] },
  },
  actions: ['list', 'reset'],
} as const;

const GROUP_ID = /^[A-Za-z0-9._-]{1,200}$/;

/** What the command asks of Kafka: the part of kafkajs' admin client it uses (a fake one in the unit tests). */
export interface GroupsAdmin {
  listGroups(): Promise<{ groups: { groupId: string }[] }>;
  describeGroups(groupIds: string[]): Promise<{
    groups: { groupId: string; state: string; members: { memberId: string; clientId: string }[] }[];
  }>;
  fetchOffsets(options: {
    groupId: string;
  }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; low: string; high: string }[]>;
  setOffsets(options: {
    groupId: string;
    topic: string;
    partitions: { partition: number; offset: string }[];
  }): Promise<void>;
  disconnect(): Promise<void>;
}

/** A connected admin client reaching the brokers as the services do. */
async function connectAdmin(config: KafkaConfig): Promise<GroupsAdmin> {
  const admin = kafkaOf('nqpf-groups', config).admin();
  await admin.connect();
  return admin;
}

export async function run(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  adminOf: (config: KafkaConfig) => Promise<GroupsAdmin> = connectAdmin,
): Promise<number> {
  return runCommand(COMMAND, args, async ({ values, action }) => {
    const reset = action === 'reset' ? resetOptions(values) : undefined;
    const prefix = values.prefix;
    if (prefix !== undefined && !/^[A-Za-z0-9._-]{1,200}$/.test(prefix))
      throw new UsageError(`--prefix: the start of a group id (letters, digits, . _ -), got '${prefix}'`);
    const config = configFromEnv(kafkaConfigSpec, env);
    const own = `${config.KAFKA_TOPIC_PREFIX}.`;
    if (reset && !reset.group.startsWith(own))
      throw new UsageError(
        `--group: ${reset.group} is not a group of this system (KAFKA_TOPIC_PREFIX=${config.KAFKA_TOPIC_PREFIX}: ` +
          `its groups start with '${own}'); nqpf groups list shows them`,
      );
    let admin: GroupsAdmin;
    try {
      admin = await adminOf(config);
    } catch (err) {
      return failed(`cannot reach Kafka: ${(err as Error).message}`);
    }
    try {
      return reset
        ? await resetGroup(admin, reset.group, reset.dryRun)
        : await listGroups(admin, prefix ?? own);
    } catch (err) {
      return failed((err as Error).message);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  });
}

function resetOptions(values: { group?: string; 'to-earliest'?: boolean; 'dry-run'?: boolean }): {
  group: string;
  dryRun: boolean;
} {
  const group = values.group;
  if (!group || !GROUP_ID.test(group))
    throw new UsageError(`--group: a consumer group id (letters, digits, . _ -), got '${group ?? ''}'`);
  if (!values['to-earliest'])
    throw new UsageError(
      '--to-earliest is required: the only reset there is (to the earliest offset each partition holds)',
    );
  return { group, dryRun: values['dry-run'] === true };
}

function failed(message: string): 1 {
  process.stderr.write(`nqpf groups: ${message}\n`);
  return 1;
}

async function listGroups(admin: GroupsAdmin, prefix: string): Promise<number> {
  const ids = (await admin.listGroups()).groups
    .map((g) => g.groupId)
    .filter((id) => id.startsWith(prefix))
    .sort();
  const described = ids.length > 0 ? (await admin.describeGroups(ids)).groups : [];
  for (const id of ids) {
    const group = described.find((g) => g.groupId === id);
    const members = group?.members ?? [];
    process.stdout.write(
      `${id}: ${group?.state ?? 'unknown'}, ${members.length} ${members.length === 1 ? 'member' : 'members'}` +
        `${members.length > 0 ? ` (${clientIds(members)})` : ''}\n`,
    );
  }
  process.stdout.write(`${ids.length} ${ids.length === 1 ? 'group' : 'groups'} under ${prefix}\n`);
  return 0;
}

async function resetGroup(admin: GroupsAdmin, group: string, dryRun: boolean): Promise<number> {
  const description = (await admin.describeGroups([group])).groups.find((g) => g.groupId === group);
  const members = description?.members ?? [];
  if (members.length > 0)
    return failed(
      `${group} NOT reset: it has ${members.length} ${members.length === 1 ? 'member' : 'members'} ` +
        `(${clientIds(members)}, state ${description?.state ?? 'unknown'}); stop its service (scale it to 0) and run this again`,
    );
  const committed = (await admin.fetchOffsets({ groupId: group }))
    .map(({ topic, partitions }) => ({
      topic,
      // -1: no offset committed on that partition.
      partitions: partitions.filter((p) => BigInt(p.offset) >= 0n).sort((a, b) => a.partition - b.partition),
    }))
    .filter((t) => t.partitions.length > 0)
    .sort((a, b) => a.topic.localeCompare(b.topic));
  if (committed.length === 0) {
    process.stdout.write(
      `${group} has committed no offsets: nothing to reset (it starts from the beginning anyway)\n`,
    );
    return 0;
  }
  const plan: { topic: string; partitions: { partition: number; offset: string }[] }[] = [];
  for (const { topic, partitions } of committed) {
    const earliest = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.low]));
    const moves = partitions.map((p) => {
      const low = earliest.get(p.partition);
      if (low === undefined)
        throw new Error(`${topic} has no partition ${p.partition}, on which ${group} committed ${p.offset}`);
      process.stdout.write(`${topic} partition ${p.partition}: ${p.offset} -> ${low}\n`);
      return { partition: p.partition, offset: low };
    });
    plan.push({ topic, partitions: moves });
  }
  const count = plan.reduce((n, t) => n + t.partitions.length, 0);
  const scope = `${count} ${count === 1 ? 'partition' : 'partitions'} of ${plan.length} ${plan.length === 1 ? 'topic' : 'topics'}`;
  if (dryRun) {
    process.stdout.write(
      `${group}: would reset ${scope} to the earliest offset (dry run: nothing changed)\n`,
    );
    return 0;
  }
  const done: string[] = [];
  for (const { topic, partitions } of plan) {
    try {
      await admin.setOffsets({ groupId: group, topic, partitions });
    } catch (err) {
      return failed(
        `${group}: resetting ${topic} failed: ${(err as Error).message}` +
          (done.length > 0 ? ` (already reset: ${done.join(', ')})` : ' (nothing was reset)'),
      );
    }
    done.push(topic);
  }
  process.stdout.write(`${group}: reset ${scope} to the earliest offset\n`);
  return 0;
}

function clientIds(members: { clientId: string }[]): string {
  return [...new Set(members.map((m) => m.clientId))].sort().join(', ');
}
