import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import eligible from '../../../../libs/rules/examples/eligible-application.json';
import {
  AssessmentEventTypes,
  FinanceEventTypes,
  ReviewEventTypes,
  serviceTopic,
  type Actor,
  type NewEvent,
} from '@nqpf/contracts';
import { EventSealer, PostgresEventStore } from '@nqpf/event-store';
import {
  bundledCalendar,
  DEFAULT_POLICY,
  decideConsecutiveUnqualified,
  decideEligibility,
  decideGrade,
  decidePublicityEnd,
  decideYear1Subsidy,
  defaultPolicy,
  PolicyRegistry,
} from '@nqpf/rules';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  testInfra,
  uniqueName,
  writeTempJson,
  type TestDatabase,
} from '@nqpf/testing';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import { TEST_CALENDAR_2027 } from '../../../../libs/rules/src/calendar/cn-2027.fixture';
import { runCaptured as runCommand } from '../run-captured.spec-helper';
import * as auditCommand from './audit';

const runCaptured = (args: string[]) => runCommand(auditCommand, args);

const system: Actor = { id: 'review-service', role: 'system' };
const bureau: Actor = { id: 'bureau-1', role: 'city_bureau' };

const policy2027 = {
  ...DEFAULT_POLICY,
  version: 'policy-2027.1',
  effectiveFrom: '2027-01-01',
  minStrategicCooperations: 2,
};
const policies = new PolicyRegistry([DEFAULT_POLICY, policy2027]);

function eligibilityDecided(centerId: string, policyVersion: string): NewEvent {
  const decision = decideEligibility(eligible, policies.get(policyVersion));
  return {
    type: ReviewEventTypes.EligibilityDecided,
    schemaVersion: 1,
    centerId,
    payload: {
      applicationId: centerId,
      eligible: decision.outcome.eligible,
      decidedAt: '2026-03-20T02:00:00Z',
      decision,
    },
  };
}

async function append(store: PostgresEventStore, streamId: string, event: NewEvent, actor = system) {
  const { events } = await store.append(streamId, [event], {
    actor,
    correlationId: 'c-1',
    centerId: streamId,
  });
  return events[0]!;
}

/** Finance's publication of policy2027, as the bureau made it. */
function publishPolicy2027(store: PostgresEventStore) {
  return append(
    store,
    'finance-policy',
    {
      type: FinanceEventTypes.PolicyPublished,
      schemaVersion: 1,
      payload: {
        version: policy2027.version,
        effectiveFrom: policy2027.effectiveFrom,
        publishedOn: '2026-12-01',
        policy: policy2027,
        reason: 'two strategic cooperations from 2027',
      },
    },
    bureau,
  );
}

describe('nqpf audit on a real event store', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('audit_cli');
    store = new PostgresEventStore(db.pool);
    await store.migrate();
  });

  afterAll(async () => {
    await db?.drop();
  });

  // A replay reads the policy in force from the store named finance: this one holds the policy book too.
  const audit = (action: string) =>
    runCaptured([action, '--database-url', action === 'replay' ? `finance=${db.url}` : db.url]);

  /** Changes the store as only a superuser can: with the triggers that refuse updates and deletes off. */
  async function asSuperuser(sql: string, values: unknown[]): Promise<void> {
    const admin = await db.pool.connect();
    try {
      await admin.query('alter table event_store.events disable trigger all');
      await admin.query(sql, values);
      await admin.query('alter table event_store.events enable trigger all');
    } finally {
      admin.release();
    }
  }

  it('replays a recorded eligibility decision and reports one match', async () => {
    await append(store, 'center-a', eligibilityDecided('center-a', 'policy-2026.1'));
    const { code, output } = await audit('replay');
    expect(output).toContain('1 decisions, 1 match, 0 mismatch');
    expect(output).toMatch(/decisions\/s/);
    expect(code).toBe(0);
  });

  it('verifies an untouched store', async () => {
    const { code, output } = await audit('verify');
    expect(output).toMatch(/1 events checked, ok/);
    expect(code).toBe(0);
  });

  it('replays each decision with the policy version it recorded, not the one in force today', async () => {
    await publishPolicy2027(store);
    const later = eligibilityDecided('center-b', 'policy-2027.1');
    expect((later.payload as { eligible: boolean }).eligible).toBe(false);
    await append(store, 'center-b', later);
    const { code, output } = await audit('replay');
    // center-a's decision is eligible only under policy-2026.1: a replay with 2027.1 would differ.
    expect(output).toContain('policies known: policy-2026.1, policy-2027.1');
    expect(output).toContain('2 decisions, 2 match, 0 mismatch');
    expect(code).toBe(0);
  });

  it('lists a decision whose rule-set version is unknown as a mismatch and exits 1', async () => {
    const event = eligibilityDecided('center-c', 'policy-2026.1');
    const payload = event.payload as { decision: { rulesetVersion: string } };
    payload.decision.rulesetVersion = 'rules-2019.1';
    const stored = await append(store, 'center-c', event);
    const { code, output } = await audit('replay');
    expect(output).toContain(
      `MISMATCH event ${stored.id} review.eligibility-decided stream center-c decision rule eligibility: ` +
        "recorded under rule-set version 'rules-2019.1'",
    );
    expect(output).toContain('3 decisions, 2 match, 1 mismatch');
    expect(code).toBe(1);
  });

  it('writes the heads to stdout with --out -, the rest to stderr, and verify --heads - reads them from stdin', async () => {
    // As through kubectl exec in a pod whose filesystem is read-only: … --out - > heads.json, then -i … < heads.json.
    const taken = await runCaptured(['heads', '--database-url', `review=${db.url}`, '--out', '-']);
    expect(taken.code).toBe(0);
    const heads = JSON.parse(taken.stdout) as { stores: Record<string, unknown> };
    expect(heads.stores).toEqual({ review: Object.fromEntries(await store.heads()) });
    expect(Object.keys(heads.stores.review as object).length).toBeGreaterThan(0);
    const digest = createHash('sha256').update(taken.stdout).digest('hex');
    expect(taken.stderr).toMatch(/^heads: \d+ streams in 1 stores as of .*, written to stdout$/m);
    expect(taken.stderr).toContain(`sha256 ${digest}`);
    const verified = await runCommand(
      { run: (args) => auditCommand.run(args, process.env, { stdin: Readable.from([taken.stdout]) }) },
      ['verify', '--database-url', `review=${db.url}`, '--heads', '-'],
    );
    expect(verified.output).toMatch(/^review: \d+ events checked, \d+ known heads, ok$/m);
    expect(verified.code).toBe(0);
  });

  it('takes the stream heads, and verify against them finds a removed last event the chains cannot', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nqpf-heads-')), 'heads.json');
    const taken = await runCaptured(['heads', '--database-url', db.url, '--out', file]);
    expect(taken.output).toMatch(/heads: 4 streams in 1 stores as of .*, written to /);
    const digest = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(taken.output).toContain(`sha256 ${digest}`);
    expect(taken.code).toBe(0);
    const again = await runCaptured(['heads', '--database-url', db.url, '--out', file]);
    expect(again.output).toContain(
      `--out: ${file} exists; a heads file is evidence and is never overwritten`,
    );
    expect(again.code).toBe(2);
    // A store it cannot read leaves no (empty) heads file behind.
    const unread = join(mkdtempSync(join(tmpdir(), 'nqpf-heads-')), 'heads.json');
    const failed = await runCaptured([
      'heads',
      '--database-url',
      'postgres://nqpf@127.0.0.1:1/none',
      '--out',
      unread,
    ]);
    expect(failed.code).toBe(1);
    expect(existsSync(unread)).toBe(false);

    const last = (await store.readStream('center-c'))[0]!;
    await asSuperuser(`delete from event_store.events where event_id = $1`, [last.id]);
    expect((await audit('verify')).code).toBe(0);
    const { code, output } = await runCaptured(['verify', '--database-url', db.url, '--heads', file]);
    expect(output).toContain('4 known heads');
    expect(output).toContain('BROKEN at stream center-c version 1 event (removed): removed');
    expect(code).toBe(1);
  });

  it('takes the heads of the copies on Kafka with --from-kafka, stores named by service', async () => {
    const prefix = uniqueName('heads').replace(/_/g, '-');
    const topic = serviceTopic('review', prefix);
    await createTestTopics([topic], 3);
    const publisher = new KafkaEventPublisher(createKafka('nqpf-audit-test', testInfra().kafkaBrokers));
    try {
      // Every stored event as the relay publishes it (readStream: readAll holds back recent rows).
      const streams = [...(await store.heads()).keys()];
      const events = (await Promise.all(streams.map((id) => store.readStream(id)))).flat();
      await publisher.publish(topic, events.map(toWire));
    } finally {
      await publisher.disconnect();
    }
    const file = join(mkdtempSync(join(tmpdir(), 'nqpf-heads-')), 'heads.json');
    const saved = { ...process.env };
    Object.assign(process.env, {
      KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
    });
    try {
      const { code, output } = await runCaptured([
        'heads',
        '--from-kafka',
        '--services',
        'review',
        '--out',
        file,
      ]);
      expect(output).toMatch(/heads: 3 streams in 1 stores/);
      expect(code).toBe(0);
    } finally {
      process.env = saved;
    }
    const heads = JSON.parse(readFileSync(file, 'utf8')) as { stores: Record<string, unknown> };
    expect(heads.stores).toEqual({ review: Object.fromEntries(await store.heads()) });
    expect(Object.keys(heads.stores.review as object).length).toBeGreaterThan(0);
    const verified = await runCaptured(['verify', '--database-url', `review=${db.url}`, '--heads', file]);
    expect(verified.output).toContain('review: 3 events checked, 3 known heads, ok');
    expect(verified.code).toBe(0);
    const misuse = await runCaptured([
      'heads',
      '--from-kafka',
      '--database-url',
      db.url,
      '--out',
      `${file}.2`,
    ]);
    expect(misuse.output).toContain('--from-kafka: name the stores by service');
    expect(misuse.code).toBe(2);
  });

  it('warns, naming the store and its topic, when --from-kafka finds the topic empty, and verify warns too', async () => {
    const prefix = uniqueName('heads-empty').replace(/_/g, '-');
    const topic = serviceTopic('review', prefix);
    await createTestTopics([topic], 3);
    const admin = createKafka('nqpf-audit-test', testInfra().kafkaBrokers).admin();
    await admin.connect();
    try {
      await eventually(() => admin.fetchTopicOffsets(topic)); // a new topic's leaders, elected
    } finally {
      await admin.disconnect();
    }
    const file = join(mkdtempSync(join(tmpdir(), 'nqpf-heads-')), 'heads.json');
    const saved = { ...process.env };
    // The local review database is out of reach here: the warning says it could not tell.
    Object.assign(process.env, {
      KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      NQPF_PG_PORT: '1',
    });
    try {
      const { code, output } = await runCaptured([
        'heads',
        '--from-kafka',
        '--services',
        'review',
        '--out',
        file,
      ]);
      expect(output).toMatch(
        new RegExp(
          `^warning: topic ${topic.replace(/\./g, '\\.')} holds no events, and store review could not be read`,
          'm',
        ),
      );
      expect(output).toContain('without tail protection');
      expect(output).toMatch(/heads: 0 streams in 1 stores/);
      expect(code).toBe(0);
    } finally {
      process.env = saved;
    }
    // The nightly job's next step, with the store that has events: verify says so too.
    const verified = await runCaptured(['verify', '--database-url', `review=${db.url}`, '--heads', file]);
    expect(verified.output).toContain(
      'warning: the heads file holds no streams of store review, which has events: ' +
        'checked by its chains alone, without tail protection',
    );
    expect(verified.output).toMatch(/review: \d+ events checked, 0 known heads, ok/);
    expect(verified.code).toBe(0);
  });

  it('refuses a heads file that is not one, naming the field', async () => {
    const heads = writeTempJson('heads.json', {
      format: 'nqpf-stream-heads/1',
      takenAt: '2026-11-26T08:00:00Z',
      stores: { audit: { 'center-a': { streamVersion: 1, hash: 'abc' } } },
    });
    const { code, output } = await runCaptured(['verify', '--database-url', db.url, '--heads', heads]);
    expect(output).toContain('stores.audit.center-a.hash: expected 64 hex digits');
    expect(code).toBe(2);
  });

  it('names the tampered event of every broken stream when stored payloads were changed, and exits 1', async () => {
    const first = (await store.readStream('center-a'))[0]!;
    const other = (await store.readStream('center-b'))[0]!;
    for (const id of [first.id, other.id])
      await asSuperuser(
        `update event_store.events set payload = payload || '{"tampered": true}' where event_id = $1`,
        [id],
      );
    const { code, output } = await audit('verify');
    expect(output).toContain('BROKEN in 2 streams');
    expect(output).toContain(`BROKEN at stream center-a version 1 event ${first.id}: modified`);
    expect(output).toContain(`BROKEN at stream center-b version 1 event ${other.id}: modified`);
    expect(code).toBe(1);
  });

  it('refuses bad input with exit 2', async () => {
    expect((await runCaptured(['verify', '--services', 'intake,lottery'])).code).toBe(2);
    expect((await runCaptured(['replay', '--database-url', 'mysql://x/y'])).code).toBe(2);
    expect((await runCaptured(['verify', '--without-policy-book'])).code).toBe(2);
    expect((await runCaptured(['inspect'])).code).toBe(2);
    const both = await runCaptured(['verify', '--database-url', db.url, '--services', 'intake']);
    expect(both.output).toContain('either --database-url or --services');
    expect(both.code).toBe(2);
  });

  it('replays a publicity end counted on a calendar year loaded after the release when given that year', async () => {
    const other = await createTestDatabase('audit_calendar');
    try {
      const calendarStore = new PostgresEventStore(other.pool);
      await calendarStore.migrate();
      const decision = decidePublicityEnd(
        { publishedOn: '2026-12-28' },
        defaultPolicy,
        bundledCalendar([TEST_CALENDAR_2027]),
      );
      await append(calendarStore, 'candidacy-d', {
        type: ReviewEventTypes.PublicityStarted,
        schemaVersion: 1,
        centerId: 'center-d',
        payload: {
          applicationId: 'center-d',
          listId: 'l-1',
          publishedOn: '2026-12-28',
          lastDay: decision.outcome.lastDay,
          endsAt: decision.outcome.endsAtExclusive,
          calendarVersion: decision.calendarVersion,
          startedAt: '2026-12-28T02:00:00Z',
          decision,
        },
      });
      const without = await runCaptured(['replay', '--database-url', `finance=${other.url}`]);
      expect(without.output).toContain("'cn-2027.test'");
      expect(without.output).toContain('1 decisions, 0 match, 1 mismatch');
      expect(without.code).toBe(1);
      const given = await runCaptured([
        'replay',
        '--database-url',
        `finance=${other.url}`,
        '--calendar-year',
        writeTempJson('cn-2027.json', TEST_CALENDAR_2027),
      ]);
      expect(given.output).toContain('1 decisions, 1 match, 0 mismatch');
      expect(given.code).toBe(0);
      const verify = await runCaptured(['verify', '--database-url', other.url, '--calendar-year', 'x.json']);
      expect(verify.output).toContain('only for replay');
      expect(verify.code).toBe(2);
    } finally {
      await other.drop();
    }
  });

  it("replays a decision under a policy given as finance's GET /policies answer (an array)", async () => {
    const other = await createTestDatabase('audit_policies');
    try {
      const policyStore = new PostgresEventStore(other.pool);
      await policyStore.migrate();
      // Decided under policy-2027.1, which this store never recorded as published.
      await append(policyStore, 'center-e', eligibilityDecided('center-e', 'policy-2027.1'));
      const list = writeTempJson('policies.json', [DEFAULT_POLICY, policy2027]);
      const { code, output } = await runCaptured([
        'replay',
        '--database-url',
        `finance=${other.url}`,
        '--policy',
        list,
      ]);
      expect(output).not.toContain('warning');
      expect(output).toContain('1 decisions, 1 match, 0 mismatch');
      expect(code).toBe(0);
    } finally {
      await other.drop();
    }
  });

  it('counts a decision rewritten to null or stripped of its inputs as a mismatch, exit 1', async () => {
    const other = await createTestDatabase('audit_removed');
    try {
      const tampered = new PostgresEventStore(other.pool);
      await tampered.migrate();
      const nulled = await append(tampered, 'center-n', eligibilityDecided('center-n', 'policy-2026.1'));
      const stripped = await append(tampered, 'center-s', eligibilityDecided('center-s', 'policy-2026.1'));
      await append(tampered, 'center-w', eligibilityDecided('center-w', 'policy-2026.1'));
      const admin = await other.pool.connect();
      try {
        await admin.query('alter table event_store.events disable trigger all');
        await admin.query(
          `update event_store.events set payload = jsonb_set(payload, '{decision}', 'null') where event_id = $1`,
          [nulled.id],
        );
        await admin.query(
          `update event_store.events set payload = payload #- '{decision,inputs}' where event_id = $1`,
          [stripped.id],
        );
        await admin.query('alter table event_store.events enable trigger all');
      } finally {
        admin.release();
      }
      const { code, output } = await runCaptured(['replay', '--database-url', `finance=${other.url}`]);
      expect(output).toContain(
        `MISMATCH event ${nulled.id} review.eligibility-decided stream center-n decision rule eligibility: ` +
          'missing decision: decision is null, where review.eligibility-decided records the eligibility decision',
      );
      expect(output).toContain(
        `MISMATCH event ${stripped.id} review.eligibility-decided stream center-s decision rule eligibility: ` +
          'not a whole decision record (lacks inputs)',
      );
      expect(output).toContain('3 events, 3 decisions, 1 match, 2 mismatch');
      expect(code).toBe(1);
    } finally {
      await other.drop();
    }
  });

  it('names the stream, and the center when it is another id, of each mismatch', async () => {
    const other = await createTestDatabase('audit_where');
    try {
      const where = new PostgresEventStore(other.pool);
      await where.migrate();
      const event = eligibilityDecided('center-x', 'policy-2026.1');
      (event.payload as { decision: { rulesetVersion: string } }).decision.rulesetVersion = 'rules-2019.1';
      const { events } = await where.append('candidacy-x', [event], { actor: system, correlationId: 'c-2' });
      const { code, output } = await runCaptured(['replay', '--database-url', `finance=${other.url}`]);
      expect(output).toContain(
        `MISMATCH event ${events[0]!.id} review.eligibility-decided stream candidacy-x (center center-x) ` +
          "decision rule eligibility: recorded under rule-set version 'rules-2019.1'",
      );
      expect(code).toBe(1);
    } finally {
      await other.drop();
    }
  });

  it('refuses with exit 2 a --policy or --calendar-year file that is invalid or conflicts with a known version', async () => {
    const other = await createTestDatabase('audit_extras');
    try {
      const published = new PostgresEventStore(other.pool);
      await published.migrate();
      await publishPolicy2027(published);
      const replay = (...extra: string[]) =>
        runCaptured(['replay', '--database-url', `finance=${other.url}`, ...extra]);
      const invalid = writeTempJson('invalid-policy.json', { version: 'p' });
      const refused = await replay('--policy', invalid);
      expect(refused.output).toContain(`nqpf audit: --policy ${invalid}: policy.effectiveFrom`);
      expect(refused.output).not.toContain('replay:');
      expect(refused.code).toBe(2);
      // The version the store published, with another number: which one held would be a guess.
      const conflicting = writeTempJson('policies.json', [
        DEFAULT_POLICY,
        { ...policy2027, minStrategicCooperations: 3 },
      ]);
      const conflict = await replay('--policy', conflicting);
      expect(conflict.output).toContain(
        `nqpf audit: --policy ${conflicting}: [1] policy.version: 'policy-2027.1' is already registered with other content`,
      );
      expect(conflict.code).toBe(2);
      const year = writeTempJson('cn-2027.json', TEST_CALENDAR_2027);
      const badYear = writeTempJson('cn-2027-bad.json', { ...TEST_CALENDAR_2027, holidays: 'none' });
      const invalidYear = await replay('--calendar-year', year, '--calendar-year', badYear);
      expect(invalidYear.output).toContain(`nqpf audit: --calendar-year ${badYear}: `);
      expect(invalidYear.code).toBe(2);
      const otherYear = writeTempJson('cn-2027-other.json', { ...TEST_CALENDAR_2027, holidays: [] });
      const yearConflict = await replay('--calendar-year', year, '--calendar-year', otherYear);
      expect(yearConflict.output).toContain(
        `nqpf audit: --calendar-year ${otherYear}: calendar.version: '${TEST_CALENDAR_2027.version}' is already registered`,
      );
      expect(yearConflict.code).toBe(2);
      // The same content again (finance's answer lists what the store published) is no conflict.
      const same = await replay('--policy', writeTempJson('same.json', [DEFAULT_POLICY, policy2027]));
      expect([same.code, same.output]).toEqual([0, expect.not.stringContaining('warning')]);
    } finally {
      await other.drop();
    }
  });

  it('refuses, exit 2, two --database-url stores whose names are the same (one database name, two hosts)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nqpf-heads-')), 'heads.json');
    const elsewhere = db.url.replace('127.0.0.1', 'localhost');
    expect(elsewhere).not.toBe(db.url);
    const name = new URL(db.url).pathname.slice(1);
    for (const args of [['heads', '--out', file], ['verify', '--heads', file], ['replay']]) {
      const { code, output } = await runCaptured([
        args[0]!,
        '--database-url',
        db.url,
        '--database-url',
        elsewhere,
        ...args.slice(1),
      ]);
      expect(output).toContain(`nqpf audit: --database-url: 2 stores named '${name}' (`);
      expect(output).toContain('name each store NAME=URL');
      expect(code).toBe(2);
    }
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });

  it('says so in a line, exit 1, when heads cannot reach a store (no stack trace)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nqpf-heads-')), 'heads.json');
    const { code, output } = await runCaptured([
      'heads',
      '--database-url',
      'postgres://postgres@127.0.0.1:1/none',
      '--out',
      file,
    ]);
    expect(output).toMatch(/^nqpf audit: heads: .*ECONNREFUSED/m);
    expect(output).not.toMatch(/\n\s+at /);
    expect(code).toBe(1);
  });

  it('reports a database without an event store as a failure, not as clean', async () => {
    const empty = await createTestDatabase('audit_empty');
    try {
      const { code, output } = await runCaptured(['verify', '--database-url', empty.url]);
      expect(output).toContain('no event store here');
      expect(code).toBe(1);
    } finally {
      await empty.drop();
    }
  });
});

describe('nqpf audit replay: the policy in force', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('audit_cli_policy');
    store = new PostgresEventStore(db.pool);
    await store.migrate();
  });

  afterAll(async () => {
    await db?.drop();
  });

  const audit = (action: string) => runCaptured([action, '--database-url', `finance=${db.url}`]);

  it('lists a grant decided under another policy than the one in force on its day as a mismatch', async () => {
    const grant = (centerId: string, policyVersion: string): NewEvent => {
      const decision = decideYear1Subsidy({ approvedCostsFen: '100000000' }, policies.get(policyVersion));
      return {
        type: FinanceEventTypes.GrantDecided,
        schemaVersion: 1,
        centerId,
        payload: {
          centerId,
          entryId: `grant-${centerId}`,
          supportYear: 1,
          calendarYear: 2027,
          amountFen: decision.outcome.amountFen,
          decidedOn: '2027-06-01',
          policyVersion,
          basis: { kind: 'year1-costs', declarationId: 'd-1', approvedFen: '100000000' },
          decision,
        },
      };
    };
    // Recorded before 2027.1 was published: 2026.1 was the version to apply then, whatever the day says.
    await append(store, 'center-f', grant('center-f', 'policy-2026.1'));
    await publishPolicy2027(store);
    await append(store, 'center-d', grant('center-d', 'policy-2027.1'));
    // It replays the same under the version it names, and the event agrees with it: still the wrong policy.
    const stale = await append(store, 'center-e', grant('center-e', 'policy-2026.1'));
    const { code, output } = await audit('replay');
    expect(output).toContain(
      `MISMATCH event ${stale.id} finance.grant-decided stream center-e decision rule subsidy-year1: ` +
        'decided under policy-2026.1, but policy-2027.1 was in force on 2027-06-01',
    );
    expect(output).toContain('3 decisions, 2 match, 1 mismatch');
    expect(code).toBe(1);
  });
});

describe('nqpf audit replay: the policy book', () => {
  let assessment: TestDatabase;
  let finance: TestDatabase;
  let graded: { id: string };

  beforeAll(async () => {
    [assessment, finance] = await Promise.all([
      createTestDatabase('audit_book_assessment'),
      createTestDatabase('audit_book_finance'),
    ]);
    const assessed = new PostgresEventStore(assessment.pool);
    const book = new PostgresEventStore(finance.pool);
    await Promise.all([assessed.migrate(), book.migrate()]);
    // policy-2027.1 published first; then a 2027 grade decided in 2028 under the bundled policy-2026.1.
    await publishPolicy2027(book);
    const decision = decideGrade({ score: '65' }, defaultPolicy);
    const revocationCheck = decideConsecutiveUnqualified(
      { grades: [{ year: 2027, grade: decision.outcome.grade }] },
      defaultPolicy,
    );
    graded = await append(assessed, 'center-g', {
      type: AssessmentEventTypes.AssessmentCompleted,
      schemaVersion: 1,
      centerId: 'center-g',
      payload: {
        centerId: 'center-g',
        year: 2027,
        supportYear: 2,
        grade: decision.outcome.grade,
        method: 'score',
        indicators: [{ name: 'overall', score: decision.inputs.score }],
        score: decision.inputs.score,
        reason: null,
        activityCount: 120,
        reportCompliance: { due: 5, filedOnTime: 5, filedLate: 0, missing: 0 },
        assessedOn: '2028-02-01',
        decision,
        revocationCheck,
      },
    });
  });

  afterAll(async () => {
    await Promise.all([assessment?.drop(), finance?.drop()]);
  });

  it('refuses (exit 2) a replay whose stores leave out finance, the policy book, naming the way out', async () => {
    const { code, output } = await runCaptured(['replay', '--database-url', `assessment=${assessment.url}`]);
    expect(output).toContain("read from finance's store (the policy book)");
    expect(output).toContain('(assessment) leave it out');
    expect(output).toContain('--without-policy-book');
    expect(output).not.toMatch(/^replay: /m);
    expect(code).toBe(2);
    expect((await runCaptured(['replay', '--services', 'assessment'])).code).toBe(2);
  });

  it('finds the grade decided under a superseded policy with finance among the stores', async () => {
    const { code, output } = await runCaptured([
      'replay',
      '--database-url',
      `assessment=${assessment.url}`,
      '--database-url',
      `finance=${finance.url}`,
    ]);
    for (const field of ['decision rule grade-from-score', 'revocationCheck rule consecutive-unqualified'])
      expect(output).toContain(
        `MISMATCH event ${graded.id} assessment.assessment-completed stream center-g ${field}: ` +
          'decided under policy-2026.1, but policy-2027.1 was in force on 2028-02-01',
      );
    expect(output).toContain('assessment: 1 events, 2 decisions, 0 match, 2 mismatch');
    expect(output).not.toContain('NOT checked');
    expect(code).toBe(1);
  });

  it('replays without those checks when told to, and says so on its first line', async () => {
    const { code, output } = await runCaptured([
      'replay',
      '--database-url',
      `assessment=${assessment.url}`,
      '--without-policy-book',
    ]);
    expect(output.split('\n')[0]).toBe(
      'policy in force NOT checked (--without-policy-book): a decision naming a superseded policy version passes',
    );
    expect(output).toContain('2 decisions, 2 match, 0 mismatch');
    expect(code).toBe(0);
  });
});

describe('nqpf audit and seals', () => {
  let db: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'nqpf-seal-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateFile = join(dir, 'review.pem');
  const publicFile = join(dir, 'public.pem');
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const sealer = EventSealer.fromPem(readFileSync(privateFile, 'utf8'));
  const verify = () => runCaptured(['verify', '--database-url', db.url, '--seal-keys', publicFile]);

  beforeAll(async () => {
    db = await createTestDatabase('audit_seal');
    await new PostgresEventStore(db.pool).migrate();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('names heads no service sealed; seals those from before the key once, never one added after', async () => {
    const headsFile = join(dir, `rollout-${Date.now()}.json`);
    const sealHeads = () =>
      runCaptured([
        'seal-heads',
        '--database-url',
        db.url,
        '--seal-key-file',
        privateFile,
        '--heads',
        headsFile,
      ]);
    // Written before the service had its key: a chain that holds, and a head nobody sealed.
    const unkeyed = new PostgresEventStore(db.pool);
    const old = await append(unkeyed, 'center-b', eligibilityDecided('center-b', 'policy-2026.1'));
    let run = await verify();
    expect(run.output).toContain(`seals checked against 1 key: ${sealer.keyId}`);
    expect(run.output).toContain(`BROKEN at stream center-b version 1 event ${old.id}: unsealed`);
    expect(run.code).toBe(1);
    expect((await runCaptured(['verify', '--database-url', db.url])).output).toContain('seals not checked');

    const refused = await runCaptured([
      'seal-heads',
      '--services',
      'intake,review',
      '--seal-key-file',
      privateFile,
    ]);
    expect(refused.output).toContain('seal-heads: name one store');
    expect(refused.code).toBe(2);
    const noHeads = await runCaptured([
      'seal-heads',
      '--database-url',
      db.url,
      '--seal-key-file',
      privateFile,
    ]);
    expect(noHeads.output).toContain('--heads is required');
    // At the rollout: the heads as Kafka has them (here the store's own, which nobody has touched yet).
    expect((await runCaptured(['heads', '--database-url', db.url, '--out', headsFile])).code).toBe(0);
    const sealing = await sealHeads();
    expect(sealing.output).toContain(': 1 stream heads sealed');
    expect(sealing.code).toBe(0);
    expect((await verify()).code).toBe(0);

    // The service has its key now; what someone adds without it stays unsealed, and seal-heads says so.
    await append(
      new PostgresEventStore(db.pool, { sealer }),
      'center-a',
      eligibilityDecided('center-a', 'policy-2026.1'),
    );
    const added = await append(unkeyed, 'center-c', eligibilityDecided('center-c', 'policy-2026.1'));
    const again = await sealHeads();
    expect(again.output).toContain(': 0 stream heads sealed');
    expect(again.output).toContain(
      'NOT SEALED stream center-c version 1: recorded after the service had its key',
    );
    expect(again.code).toBe(1);
    run = await verify();
    expect(run.output).toContain(`BROKEN at stream center-c version 1 event ${added.id}: unsealed`);
  });

  it("checks each store against its own service's keys when they are given by name", async () => {
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    const otherFile = join(dir, 'other.pem');
    writeFileSync(otherFile, other);
    const named = (...keys: string[]) =>
      runCaptured([
        'verify',
        '--database-url',
        `review=${db.url}`,
        ...keys.flatMap((k) => ['--seal-keys', k]),
      ]);
    // Another service's key does not vouch for review's events.
    const foreign = await named(`review=${otherFile}`);
    expect(foreign.output).toContain('bad-seal');
    expect(foreign.code).toBe(1);
    const missing = await named(`finance=${publicFile}`);
    expect(missing.output).toContain('--seal-keys finance=…: no store named finance here');
    expect(missing.code).toBe(2);
    expect((await named(publicFile, `review=${publicFile}`)).code).toBe(2);
  });

  it('retires a leaked key: re-seals under the new key the heads it sealed that equal heads taken before the leak', async () => {
    const store = `review=${db.url}`;
    const next = generateKeyPairSync('ed25519');
    const nextPrivate = join(dir, 'review-2027.pem');
    const nextPublic = join(dir, 'review-2027.pub');
    writeFileSync(nextPrivate, next.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(nextPublic, next.publicKey.export({ type: 'spki', format: 'pem' }));
    // Taken before the leak and kept outside.
    const headsFile = join(dir, `heads-${Date.now()}.json`);
    expect((await runCaptured(['heads', '--database-url', store, '--out', headsFile])).code).toBe(0);
    const reseal = (...more: string[]) =>
      runCaptured(['reseal', '--database-url', store, '--seal-key-file', nextPrivate, ...more]);
    expect((await reseal('--retired-key', publicFile)).output).toContain('--heads is required');

    const done = await reseal('--retired-key', publicFile, '--heads', headsFile);
    expect(done.output).toContain('reseal: review: 2 stream heads re-sealed');
    // The new key alone vouches for them; the stream added without any key stays unsealed.
    const run = await runCaptured(['verify', '--database-url', store, '--seal-keys', `review=${nextPublic}`]);
    expect(run.output).toContain('BROKEN in 1 stream');
    expect(run.output).toContain('BROKEN at stream center-c version 1');
    // A head that moved on since the heads were taken is not re-sealed blind.
    await append(
      new PostgresEventStore(db.pool, { sealer }),
      'center-a',
      eligibilityDecided('center-a', 'policy-2026.1'),
    );
    const stale = await reseal('--retired-key', publicFile, '--heads', headsFile);
    expect(stale.output).toContain('NOT RE-SEALED stream center-a version 2: the heads file has version 1');
    expect(stale.code).toBe(1);
  });

  it('refuses a key file that holds no Ed25519 public key', async () => {
    const { code, output } = await runCaptured([
      'verify',
      '--database-url',
      db.url,
      '--seal-keys',
      privateFile,
    ]);
    expect(output).toContain(`--seal-keys ${privateFile}: no PEM public key (BEGIN PUBLIC KEY) in it`);
    expect(code).toBe(2);
  });
});
