import type { KafkaConfig } from '@nqpf/platform';
import { runCaptured } from '../run-captured.spec-helper';
import { run, type GroupsAdmin } from './groups';

/**
 * `nqpf groups` against a fake admin client: what it prints, what it changes, and when it refuses.
 * groups.int.spec.ts runs it against the dev broker.
 */

interface FakeGroup {
  state: string;
  members: { memberId: string; clientId: string }[];
  /** topic → partition → committed offset ('-1': none). */
  offsets: Record<string, Record<number, string>>;
}

/** Earliest offset of each partition of each topic (its `low`). */
const EARLIEST: Record<string, Record<number, string>> = {
  'nqpf.finance.events': { 0: '0', 1: '0', 2: '4' },
  'nqpf.review.events': { 0: '0' },
};

function fakeAdmin(groups: Record<string, FakeGroup>) {
  const set: { groupId: string; topic: string; partitions: { partition: number; offset: string }[] }[] = [];
  const configs: KafkaConfig[] = [];
  let disconnected = 0;
  const admin: GroupsAdmin = {
    listGroups: async () => ({ groups: Object.keys(groups).map((groupId) => ({ groupId })) }),
    describeGroups: async (ids) => ({
      groups: ids.map((groupId) => ({
        groupId,
        state: groups[groupId]?.state ?? 'Dead',
        members: groups[groupId]?.members ?? [],
      })),
    }),
    fetchOffsets: async ({ groupId }) =>
      Object.entries(groups[groupId]?.offsets ?? {}).map(([topic, partitions]) => ({
        topic,
        partitions: Object.entries(partitions).map(([p, offset]) => ({ partition: Number(p), offset })),
      })),
    fetchTopicOffsets: async (topic) =>
      Object.entries(EARLIEST[topic] ?? {}).map(([p, low]) => ({ partition: Number(p), low, high: '99' })),
    setOffsets: async (options) => {
      set.push(options);
    },
    disconnect: async () => {
      disconnected += 1;
    },
  };
  const adminOf = async (config: KafkaConfig) => {
    configs.push(config);
    return admin;
  };
  return { admin, adminOf, set, configs, disconnected: () => disconnected };
}

const ENV = { NODE_ENV: 'production', KAFKA_BROKERS: 'kafka-0:9093', KAFKA_TOPIC_PREFIX: 'nqpf' };

const STOPPED: FakeGroup = {
  state: 'Empty',
  members: [],
  offsets: {
    'nqpf.review.events': { 0: '17' },
    'nqpf.finance.events': { 2: '30', 0: '12', 1: '-1' },
  },
};

function groups(
  args: string[],
  fake: ReturnType<typeof fakeAdmin>,
  env: NodeJS.ProcessEnv = ENV,
): ReturnType<typeof runCaptured> {
  return runCaptured({ run: (a) => run(a, env, fake.adminOf) }, args);
}

describe('nqpf groups reset', () => {
  it('--dry-run prints each committed partition old -> new and changes nothing', async () => {
    const fake = fakeAdmin({ 'nqpf.registry.calls': STOPPED });
    const { code, stdout } = await groups(
      ['reset', '--group', 'nqpf.registry.calls', '--to-earliest', '--dry-run'],
      fake,
    );
    expect(stdout).toBe(
      'nqpf.finance.events partition 0: 12 -> 0\n' +
        'nqpf.finance.events partition 2: 30 -> 4\n' +
        'nqpf.review.events partition 0: 17 -> 0\n' +
        'nqpf.registry.calls: would reset 3 partitions of 2 topics to the earliest offset (dry run: nothing changed)\n',
    );
    expect(fake.set).toEqual([]);
    expect(code).toBe(0);
    expect(fake.disconnected()).toBe(1);
  });

  it('sets the partitions the group committed on to their earliest offsets, topic by topic', async () => {
    const fake = fakeAdmin({ 'nqpf.registry.calls': STOPPED });
    const { code, stdout } = await groups(['reset', '--group', 'nqpf.registry.calls', '--to-earliest'], fake);
    expect(fake.set).toEqual([
      {
        groupId: 'nqpf.registry.calls',
        topic: 'nqpf.finance.events',
        partitions: [
          { partition: 0, offset: '0' },
          { partition: 2, offset: '4' },
        ],
      },
      {
        groupId: 'nqpf.registry.calls',
        topic: 'nqpf.review.events',
        partitions: [{ partition: 0, offset: '0' }],
      },
    ]);
    expect(stdout).toContain('nqpf.finance.events partition 2: 30 -> 4\n');
    expect(stdout).toContain('nqpf.registry.calls: reset 3 partitions of 2 topics to the earliest offset\n');
    expect(code).toBe(0);
  });

  it('refuses while the group has members, naming their client ids, and changes nothing (exit 1)', async () => {
    const fake = fakeAdmin({
      'nqpf.registry.calls': {
        ...STOPPED,
        state: 'Stable',
        members: [
          { memberId: 'm-2', clientId: 'nqpf-registry' },
          { memberId: 'm-1', clientId: 'nqpf-registry' },
          { memberId: 'm-3', clientId: 'nqpf-registry-b' },
        ],
      },
    });
    for (const dryRun of [[], ['--dry-run']]) {
      const { code, stderr } = await groups(
        ['reset', '--group', 'nqpf.registry.calls', '--to-earliest', ...dryRun],
        fake,
      );
      expect(stderr).toBe(
        'nqpf groups: nqpf.registry.calls NOT reset: it has 3 members (nqpf-registry, nqpf-registry-b, ' +
          'state Stable); stop its service (scale it to 0) and run this again\n',
      );
      expect(code).toBe(1);
    }
    expect(fake.set).toEqual([]);
  });

  it('says a group with nothing committed has nothing to reset, and exits 0', async () => {
    const fake = fakeAdmin({
      'nqpf.registry.audit.v2': {
        state: 'Empty',
        members: [],
        offsets: { 'nqpf.review.events': { 0: '-1' } },
      },
    });
    for (const group of ['nqpf.registry.audit.v2', 'nqpf.registry.never-ran']) {
      const { code, stdout } = await groups(['reset', '--group', group, '--to-earliest'], fake);
      expect(stdout).toBe(
        `${group} has committed no offsets: nothing to reset (it starts from the beginning anyway)\n`,
      );
      expect(code).toBe(0);
    }
    expect(fake.set).toEqual([]);
  });

  it.each([
    ['another prefix', 'other.registry.calls'],
    ['the prefix without its dot', 'nqpfx.registry.calls'],
    ['the bare prefix', 'nqpf'],
  ])('refuses a group outside KAFKA_TOPIC_PREFIX. (%s) with exit 2, before connecting', async (_, group) => {
    const fake = fakeAdmin({ [group]: STOPPED });
    const { code, stderr } = await groups(['reset', '--group', group, '--to-earliest'], fake);
    expect(stderr).toContain(
      `nqpf groups: --group: ${group} is not a group of this system (KAFKA_TOPIC_PREFIX=nqpf: its groups start with 'nqpf.')`,
    );
    expect(code).toBe(2);
    expect(fake.configs).toEqual([]);
  });

  it('takes the prefix from KAFKA_TOPIC_PREFIX', async () => {
    const fake = fakeAdmin({ 'staging.registry.calls': STOPPED, 'nqpf.registry.calls': STOPPED });
    const env = { ...ENV, KAFKA_TOPIC_PREFIX: 'staging' };
    expect((await groups(['reset', '--group', 'nqpf.registry.calls', '--to-earliest'], fake, env)).code).toBe(
      2,
    );
    expect(
      (await groups(['reset', '--group', 'staging.registry.calls', '--to-earliest', '--dry-run'], fake, env))
        .code,
    ).toBe(0);
    expect(fake.configs.map((c) => [c.KAFKA_BROKERS, c.KAFKA_TOPIC_PREFIX])).toEqual([
      [['kafka-0:9093'], 'staging'],
    ]);
  });

  it.each([
    [['reset', '--group', 'nqpf.registry.calls'], '--to-earliest is required'],
    [['reset', '--to-earliest'], "--group: a consumer group id (letters, digits, . _ -), got ''"],
    [['reset', '--group', 'nqpf.bad group', '--to-earliest'], '--group: a consumer group id'],
    [
      ['reset', '--group', 'nqpf.registry.calls', '--to-earliest', '--prefix', 'nqpf.'],
      '--prefix: only for list',
    ],
    [['list', '--dry-run'], '--dry-run: only for reset'],
    [['list', '--prefix', 'a b'], '--prefix: the start of a group id'],
    [['rewind'], "unknown action 'rewind'"],
  ])('%j is invalid input (exit 2)', async (args, message) => {
    const fake = fakeAdmin({ 'nqpf.registry.calls': STOPPED });
    const { code, stderr } = await groups(args, fake);
    expect(stderr).toContain(`nqpf groups: ${message}`);
    expect(stderr).toContain('usage: nqpf groups list');
    expect(code).toBe(2);
    expect(fake.configs).toEqual([]);
  });

  it('names a missing KAFKA_BROKERS outside development (exit 2)', async () => {
    const fake = fakeAdmin({});
    const { code, stderr } = await groups(['list'], fake, { NODE_ENV: 'production' });
    expect(stderr).toContain('KAFKA_BROKERS');
    expect(code).toBe(2);
  });

  it('exits 1 when Kafka fails, saying what was already reset', async () => {
    const fake = fakeAdmin({ 'nqpf.registry.calls': STOPPED });
    fake.admin.setOffsets = async ({ topic }) => {
      if (topic === 'nqpf.review.events')
        throw new Error('The consumer group must have no running instances');
    };
    const { code, stderr } = await groups(['reset', '--group', 'nqpf.registry.calls', '--to-earliest'], fake);
    expect(stderr).toBe(
      'nqpf groups: nqpf.registry.calls: resetting nqpf.review.events failed: The consumer group must have ' +
        'no running instances (already reset: nqpf.finance.events)\n',
    );
    expect(code).toBe(1);

    const unreachable = await runCaptured(
      {
        run: (a) =>
          run(a, ENV, async () => {
            throw new Error('Connection timeout');
          }),
      },
      ['list'],
    );
    expect(unreachable.stderr).toBe('nqpf groups: cannot reach Kafka: Connection timeout\n');
    expect(unreachable.code).toBe(1);
  });
});

describe('nqpf groups list', () => {
  const fake = fakeAdmin({
    'nqpf.registry.calls': STOPPED,
    'nqpf.registry.audit.v2': {
      state: 'Stable',
      members: [
        { memberId: 'a', clientId: 'nqpf-registry' },
        { memberId: 'b', clientId: 'nqpf-registry' },
      ],
      offsets: {},
    },
    'nqpf.review.applications': {
      state: 'Stable',
      members: [{ memberId: 'c', clientId: 'nqpf-review' }],
      offsets: {},
    },
    'other.registry.calls': STOPPED,
  });

  it("lists the system's groups (KAFKA_TOPIC_PREFIX.) with their state and members' client ids", async () => {
    const { code, stdout } = await groups(['list'], fake);
    expect(stdout).toBe(
      'nqpf.registry.audit.v2: Stable, 2 members (nqpf-registry)\n' +
        'nqpf.registry.calls: Empty, 0 members\n' +
        'nqpf.review.applications: Stable, 1 member (nqpf-review)\n' +
        '3 groups under nqpf.\n',
    );
    expect(code).toBe(0);
  });

  it('--prefix narrows it', async () => {
    const { code, stdout } = await groups(['list', '--prefix', 'nqpf.registry.'], fake);
    expect(stdout).toBe(
      'nqpf.registry.audit.v2: Stable, 2 members (nqpf-registry)\n' +
        'nqpf.registry.calls: Empty, 0 members\n' +
        '2 groups under nqpf.registry.\n',
    );
    expect(code).toBe(0);
  });
});
