import request from 'supertest';
import { EventEnvelope, serviceTopic, ServiceName } from '@nqpf/contracts';
import { shanghaiToday } from '@nqpf/rules';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import {
  expectRefusedAsInvalid,
  eventually,
  startService,
  ServiceUnderTest,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { loadRegistryConfig } from '../config';
import { RegistryModule } from '../registry.module';
import {
  centerRevoked,
  gradeEvent,
  intakeStory,
  objectionRaised,
  objectionRuled,
  obligationsOpened,
  publicityEnded,
  publicityStarted,
  reportDue,
  reportOverdue,
  reviewStory,
  startDeclared,
  tracked,
} from './center-story.fixture';
import { readModelChecksum } from '@nqpf/projections';
import { standingProjector } from './standing.projector';
import { STANDING_SORTS } from './standing.query';
import { STANDING_PHASES } from './standing.row';
import { conforming } from '../read-api/testing/answers';

/** Events published straight to the topics reach the standing API, scoped per actor, once each. */
describe('standing read model on PostgreSQL and Kafka', () => {
  const environment = testEnvironment(uniqueName('standing'));
  // One as-of replay at a time on this replica (the gate is tested below).
  environment.env = { ...environment.env, AS_OF_CONCURRENCY: '1' };
  const publisher = new KafkaEventPublisher(createKafka('standing-test', testInfra().kafkaBrokers));
  let registry: ServiceUnderTest;
  const publish = (service: ServiceName, events: EventEnvelope[]) =>
    publisher.publish(serviceTopic(service, environment.topicPrefix), events.map(toWire));

  const north = 'center-north';
  const south = 'center-south';

  beforeAll(async () => {
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), env),
    );
    const grade = gradeEvent(north, 2026, '不合格');
    await publish('review', reviewStory(north, '南关区', '2026-03-10'));
    await publish('intake', intakeStory(north, '南关区'));
    await publish('assessment', [tracked(north, '2026-03-10', '2028-03-10'), grade, grade]); // a duplicated delivery
    await publish('reporting', [obligationsOpened(north, '2026-03-10', '2028-03-10', '2028-03-25')]);
    await publish('intake', intakeStory(south, '宽城区'));
  });

  afterAll(async () => {
    await publisher.disconnect();
    await registry?.close();
  });

  const get = async (path: string, token: string) =>
    conforming(await request(registry.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`));

  it('shows each center to the bureau with phase, district, dates and grades', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const body = await eventually(async () => {
      const res = await get('/standing?sort=centerId', bureau);
      expect(res.status).toBe(200);
      expect(res.body.items.map((s: { phase: string }) => s.phase)).toEqual(['recognised', 'accepted']);
      expect(res.body.items[0].grades).toEqual({ 2026: '不合格' });
      expect(res.body.items[0].startDeclarationsCloseOn).toBe('2028-03-25');
      return res.body;
    });
    expect(body.total).toBe(2);
    expect(body.items[0]).toMatchObject({
      centerId: north,
      status: 'recognised',
      district: '南关区',
      dates: { submittedOn: '2026-03-06', recognizedOn: '2026-03-10' },
      latestGrade: '不合格',
      consecutiveUnqualified: 1,
      operatingDeadline: '2028-03-10',
      startDeclarationsCloseOn: '2028-03-25',
    });
    // Not recognised: no deadline, no declaration window.
    expect(body.items[1]).toMatchObject({ operatingDeadline: null, startDeclarationsCloseOn: null });
    expect(body.items[0].eligibility.reasons).toHaveLength(2);
  });

  it('answers as-of requests beyond AS_OF_CONCURRENCY with 429 at once, and serves the next one', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const asOf = (token = bureau) => get('/standing/as-of?at=2026-12-31T00:00:00%2B08:00', token);
    // Four bureau officers at once (one caller gets one replay at a time: the same one twice is a 429 too).
    const officers = await Promise.all(
      [1, 2, 3, 4].map((i) => registry.token({ role: 'city_bureau', sub: `b-${i}` })),
    );
    const answers = await Promise.all(officers.map((token) => asOf(token)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(429);
    const refused = answers.find((r) => r.status === 429)!;
    expect(refused.body.message).toMatch(/^at: 1 as-of replays are already running/);
    expect(refused.headers['retry-after']).toBe('5');
    expect((await asOf()).status).toBe(200);
  });

  it('lets a district office see only its own district, as list, item and CSV', async () => {
    const district = await registry.token({ role: 'district_office', district: '宽城区' });
    const list = await get('/standing', district);
    expect(list.body.items.map((s: { centerId: string }) => s.centerId)).toEqual([south]);
    // Out of scope answers exactly as an unknown center: the write services' not_found body.
    const hidden = await get(`/standing/${north}`, district);
    const notFound = (id: string) => ({
      statusCode: 404,
      error: 'not_found',
      message: `standing ${id} not found`,
      what: 'standing',
      id,
    });
    expect([hidden.status, hidden.body]).toEqual([404, notFound(north)]);
    expect((await get('/standing/nowhere', district)).body).toEqual(notFound('nowhere'));
    expect((await get(`/standing/${south}`, district)).status).toBe(200);
    const csv = await get('/standing.csv', district);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain(south);
    expect(csv.text).not.toContain(north);
    // Excel on a Chinese Windows reads a UTF-8 file without a byte order mark as GBK.
    expect(csv.text.startsWith('\uFEFFcenterId,district,')).toBe(true);
  });

  it("names the account that filed a center's application to the bureau, auditors, its district office and its operator, not to finance officers; the entity's credit code to all", async () => {
    const readers = [
      await registry.token({ role: 'city_bureau' }),
      await registry.token({ role: 'auditor' }),
      await registry.token({ role: 'district_office', district: '南关区' }),
      await registry.token({ role: 'operator', centerId: north }),
    ];
    // Intake's credit code, published after review's recognition (which names another), replaces it.
    for (const token of readers)
      await eventually(async () =>
        expect((await get(`/standing/${north}`, token)).body.operator).toMatchObject({
          accountId: `op-${north}`,
          creditCode: '91220101MA00000000',
        }),
      );
    // A finance officer pays the operating entity (operator.name, its public creditCode); which of its staff
    // filed is not needed.
    const finance = await registry.token({ role: 'finance_officer' });
    const one = await get(`/standing/${north}`, finance);
    const list = await get('/standing', finance);
    const asOf = await get(`/standing/as-of?at=2026-12-31T00:00:00%2B08:00&centerId=${north}`, finance);
    expect([one.body, ...list.body.items, ...asOf.body.items].map((s) => s.operator)).toEqual([
      { accountId: '(withheld)', name: expect.any(String), creditCode: '91220101MA00000000' },
      { accountId: '(withheld)', name: expect.any(String), creditCode: '91220101MA00000000' },
      { accountId: '(withheld)', name: expect.any(String), creditCode: '91220101MA00000000' },
      { accountId: '(withheld)', name: expect.any(String), creditCode: '91220101MA00000000' },
    ]);
  });

  it('exports the eligibility outcome, unmet criteria, policy version, revocation reason and A17.3a declaration window after the existing columns', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const csv = await get('/standing.csv?sort=centerId', bureau);
    expect(csv.status).toBe(200);
    const [header, north, south] = csv.text
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .map((l) => l.split(','));
    expect(header!.slice(0, 3)).toEqual(['centerId', 'district', 'phase']);
    expect(header!.slice(16)).toEqual([
      'revocationRule',
      'eligible',
      'eligibilityFailedRules',
      'eligibilityPolicyVersion',
      'revocationReason',
      'revocationExplanation',
      'awaiting',
      'startDeclarationsCloseOn',
      'callId',
      'reportsPastDue',
      'gradeHistory',
      'operatorCreditCode',
    ]);
    const cells = (row: string[]) => Object.fromEntries(header!.map((h, i) => [h, row[i]]));
    expect(cells(north!)).toMatchObject({
      centerId: 'center-north',
      eligible: 'true',
      eligibilityFailedRules: '',
      eligibilityPolicyVersion: 'p2026',
      revocationReason: '',
      operatingDeadline: '2028-03-10',
      startDeclarationsCloseOn: '2028-03-25',
      operatorCreditCode: '91220101MA00000000',
    });
    // Not decided yet: the cells are empty, not "false".
    expect(cells(south!)).toMatchObject({
      centerId: 'center-south',
      eligible: '',
      eligibilityPolicyVersion: '',
      startDeclarationsCloseOn: '',
    });
  });

  it('exports the grades readably in gradeHistory, before the credit code, the JSON kept in grades; a district office its own centers only', async () => {
    const office = await registry.token({ role: 'district_office', district: '南关区' });
    const csv = await get('/standing.csv', office);
    expect(csv.status).toBe(200);
    const [header, ...lines] = csv.text
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    const columns = header!.split(',');
    expect(columns.slice(-2)).toEqual(['gradeHistory', 'operatorCreditCode']);
    expect(lines.map((l) => l.split(',')[0])).toEqual([north]);
    // The grades' JSON cell stays as it was, quoted (it holds quotes).
    expect(lines[0]!.split(',').slice(-2)).toEqual(['2026 不合格', '91220101MA00000000']);
    expect(lines[0]).toContain('"{""2026"":""不合格""}"');
  });

  it('refuses a parameter a route does not take, a phase it does not know and an impossible instant, naming each', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const refusals = {
      '/standing.csv?grades=优秀': 'grades: not a parameter of this route',
      '/standing.csv?limit=5': 'limit: not a parameter of this route',
      '/standing?phase=in%20publicity': 'phase: must be one of draft,',
      '/standing?district=南关区&district=宽城区': 'district: give it once',
      [`/standing/${north}?verbose=1`]: 'verbose: not a parameter of this route',
      '/standing/as-of?at=2026-02-30T00:00:00%2B08:00': 'at: must be an ISO 8601 instant',
      '/standing/as-of?at=2026-12-31T00:00:00%2B08:00&centerid=x': 'centerid: not a parameter',
      '/ledger.csv?supportyear=1': 'supportyear: not a parameter of this route',
      // Neither a configured district-level unit nor the district of any center: a typo, not "none there".
      '/standing?district=南关去': 'district: "南关去" is neither a district-level unit (A3',
      '/standing.csv?district=南关去': 'district: "南关去" is neither a district-level unit (A3',
      '/standing?awaiting=district': 'awaiting: must be one of district:endorsement,',
    };
    await expectRefusedAsInvalid(refusals, (path) => get(path, bureau));
    const inPublicity = await get('/standing?phase=in_publicity', bureau);
    expect(inPublicity.body).toMatchObject({ total: 0 });
    // A configured unit with no center yet is an empty answer, not a 400.
    const chaoyang = await get('/standing?district=朝阳区', bureau);
    expect(chaoyang.status).toBe(200);
    expect(chaoyang.body).toMatchObject({ total: 0 });
  });

  it('sorts by grade by rank, not by the characters’ codes', async () => {
    const rank = STANDING_SORTS.grade.replaceAll('latest_grade', 'g');
    const { rows } = await registry.db.pool.query(
      `select g from unnest(array['良好', '优秀', null, '不合格', '合格']) g order by ${rank} asc nulls last`,
    );
    expect(rows.map((r) => r.g)).toEqual(['不合格', '合格', '良好', '优秀', null]);
  });

  it('sorts by phase in lifecycle order (STANDING_PHASES), not alphabetically', async () => {
    const lifecycle = STANDING_SORTS.phase.replaceAll('phase', 'p');
    const shuffled = [...STANDING_PHASES].sort();
    const { rows } = await registry.db.pool.query(
      `select p from unnest($1::text[]) p order by ${lifecycle} asc nulls last`,
      [shuffled],
    );
    expect(rows.map((r) => r.p)).toEqual([...STANDING_PHASES]);
    const bureau = await registry.token({ role: 'city_bureau' });
    const desc = await get('/standing?sort=-phase', bureau);
    expect(desc.status).toBe(200);
    expect(desc.body.items.map((s: { phase: string }) => s.phase)).toEqual(['recognised', 'accepted']);
  });

  it('filters by grade and year and pages with a limit of at most 200', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const graded = await get('/standing?grade=不合格&year=2026', bureau);
    expect(graded.body.items.map((s: { centerId: string }) => s.centerId)).toEqual([north]);
    const page = await get('/standing?limit=1&offset=1&sort=-district', bureau);
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    const tooMany = await get('/standing?limit=201', bureau);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: 'invalid_input', field: 'limit' });
    expect(tooMany.body.message).toContain('limit');
  });

  it("lists a year's assessments still to take (A17.1): recognised by its end, not revoked, no grade for it", async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const ids = async (query: string, token = bureau) =>
      (await get(`/standing?${query}`, token)).body.items.map((s: { centerId: string }) => s.centerId);
    expect(await ids('unassessed=2027')).toEqual([north]);
    // Graded for 2026; recognised only in 2026, so nothing was owed for 2025.
    expect(await ids('unassessed=2026')).toEqual([]);
    // Recognised in 2026, never graded for it, revoked in 2027 (A16): assessment refuses it for good, so it
    // leaves the list rather than stay there as a 409.
    const revoked = 'center-revoked-2027';
    await publish('review', reviewStory(revoked, '南关区', '2026-03-10'));
    await publish('intake', intakeStory(revoked, '南关区'));
    await eventually(async () => expect(await ids('unassessed=2026')).toEqual([revoked]));
    await publish('assessment', [centerRevoked(revoked, '2027-03-01')]);
    await eventually(async () => expect(await ids('unassessed=2026')).toEqual([]));
    expect(await ids('unassessed=2025')).toEqual([]);
    expect(
      await ids('unassessed=2027', await registry.token({ role: 'district_office', district: '宽城区' })),
    ).toEqual([]);
    const bad = await get('/standing?unassessed=27', bureau);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_input', field: 'unassessed' });
  });

  it('has a stable checksum once the events are applied', async () => {
    const projector = standingProjector(environment.topicPrefix);
    const first = await readModelChecksum(registry.db.pool, projector, 'standing');
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(await readModelChecksum(registry.db.pool, projector, 'standing')).toBe(first);
  });

  it("lists what waits for a party in its scope: a 南关区 submission for the 南关区 office's endorsement", async () => {
    const east = 'center-east';
    await publish('intake', intakeStory(east, '南关区').slice(0, 1));
    const nanguan = await registry.token({ role: 'district_office', district: '南关区' });
    const waiting = await eventually(async () => {
      const res = await get('/standing?awaiting=district:endorsement', nanguan);
      expect(res.body.items.map((s: { centerId: string }) => s.centerId)).toEqual([east]);
      return res.body.items[0];
    });
    expect(waiting).toMatchObject({ phase: 'submitted', awaiting: ['district:endorsement'] });
    const kuancheng = await registry.token({ role: 'district_office', district: '宽城区' });
    expect((await get('/standing?awaiting=district:endorsement', kuancheng)).body.total).toBe(0);
  });

  it('shows the A17.3a declaration window as of a Kafka position: unknown before reporting recorded it', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const reporting = serviceTopic('reporting', environment.topicPrefix);
    const admin = createKafka('standing-admin', testInfra().kafkaBrokers).admin();
    await admin.connect();
    const used = (await admin.fetchTopicOffsets(reporting)).find((p) => Number(p.high) > 0)!.partition;
    await admin.disconnect();
    const asOf = async (offset: number) => {
      const position = encodeURIComponent(JSON.stringify({ [reporting]: { [used]: offset } }));
      const res = await get(`/standing/as-of?endOffsets=${position}&centerId=${north}`, bureau);
      expect(res.status).toBe(200);
      return res.body.items[0];
    };
    // reporting's partition holds the obligations opened (offset 0) only.
    expect(await asOf(1)).toMatchObject({
      operatingDeadline: '2028-03-10',
      startDeclarationsCloseOn: '2028-03-25',
    });
    expect(await asOf(0)).toMatchObject({ phase: 'recognised', startDeclarationsCloseOn: null });
  });

  it('answers null for a row stored before the declaration window was kept (until a rebuild fills it)', async () => {
    await registry.db.pool.query(
      `update standing.standing set row = row - 'startDeclarationsCloseOn' where center_id = $1`,
      [north],
    );
    const bureau = await registry.token({ role: 'city_bureau' });
    const item = await get(`/standing/${north}`, bureau);
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({ operatingDeadline: '2028-03-10', startDeclarationsCloseOn: null });
    const csv = await get(`/standing.csv?district=南关区`, bureau);
    expect(csv.status).toBe(200);
    const [header, ...lines] = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    const line = lines.find((l) => l.startsWith(`${north},`));
    expect(line?.split(',')[header!.split(',').indexOf('startDeclarationsCloseOn')]).toBe('');
  });

  it("lists the operator's own work: a start to declare (A17.3a) and a report overdue (A14), in the list and the CSV", async () => {
    await publish('reporting', [
      reportDue(north, '2026-Q2', '2026-07-15'),
      reportOverdue(north, '2026-Q2', '2026-07-15'),
    ]);
    const own = await registry.token({ role: 'operator', centerId: north });
    const reports = await eventually(async () => {
      const res = await get('/standing?awaiting=operator:reports', own);
      expect(res.status).toBe(200);
      expect(res.body.items.map((s: { centerId: string }) => s.centerId)).toEqual([north]);
      return res.body.items[0];
    });
    expect(reports).toMatchObject({
      phase: 'recognised',
      awaiting: ['operator:operation-start', 'operator:reports'],
      reports: { overdue: 1, list: [{ period: '2026-Q2', dueOn: '2026-07-15', state: 'overdue' }] },
    });
    expect((await get('/standing?awaiting=operator:operation-start', own)).body.total).toBe(1);
    // Another operator's list holds none of it, and a center still applying has neither.
    const other = await registry.token({ role: 'operator', centerId: south });
    expect((await get('/standing?awaiting=operator:reports', other)).body.total).toBe(0);
    const bureau = await registry.token({ role: 'city_bureau' });
    const starts = await get('/standing?awaiting=operator:operation-start', bureau);
    expect(starts.body.items.map((s: { centerId: string }) => s.centerId)).toEqual([north]);
    const csv = await get('/standing.csv?awaiting=operator:reports', own);
    const [header, line] = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(line!.split(',')[header!.split(',').indexOf('awaiting')]).toBe(
      'operator:operation-start; operator:reports',
    );
  });

  it('shows since when an objection is pending (A9.4), the days counted when read: today, or the as-of date', async () => {
    const west = 'center-west';
    const [opened, eligible, listed] = reviewStory(west, '宽城区', '2026-03-10');
    await publish('review', [
      opened!,
      eligible!,
      listed!,
      publicityStarted(west),
      objectionRaised(west, 'o1', '2026-02-02T10:00:00+08:00'),
      // 17:00 UTC on 3 February is 01:00 on 4 February in Shanghai.
      objectionRaised(west, 'o2', '2026-02-03T17:00:00Z'),
      publicityEnded(west, ['o1', 'o2']),
      objectionRuled(west, 'o1', false, '2026-02-10T10:00:00+08:00'),
    ]);
    const office = await registry.token({ role: 'district_office', district: '宽城区' });
    const item = await eventually(async () => {
      const res = await get(`/standing/${west}`, office);
      expect(res.status).toBe(200);
      expect(res.body.pendingObjections).toEqual(['o2']);
      return res.body;
    });
    const today = shanghaiToday(new Date());
    expect(item).toMatchObject({
      phase: 'objection_pending',
      objectionPendingSince: '2026-02-04',
      awaiting: ['bureau:objection-ruling'],
    });
    expect(item.objectionPendingDays).toBe(
      Math.round((Date.parse(today) - Date.parse('2026-02-04')) / 86_400_000),
    );
    const pending = await get('/standing?phase=objection_pending', office);
    expect(pending.body.items).toEqual([item]);
    const bureau = await registry.token({ role: 'city_bureau' });
    // As of a later day (the events are recorded today), the days are counted to that day.
    const later = await get(`/standing/as-of?at=2099-03-01&centerId=${west}`, bureau);
    expect(later.body).toMatchObject({ date: '2099-03-01' });
    expect(later.body.items[0]).toMatchObject({
      objectionPendingSince: '2026-02-04',
      objectionPendingDays: Math.round((Date.parse('2099-03-01') - Date.parse('2026-02-04')) / 86_400_000),
    });
  });

  it('shows since when a declared start waits for the district office (A17.3a), counted when read: today, or the as-of date', async () => {
    const starting = 'center-starting';
    await publish('review', reviewStory(starting, '宽城区', '2026-03-10'));
    await publish('reporting', [
      obligationsOpened(starting, '2026-03-10', '2028-03-10', '2028-03-25'),
      startDeclared(starting, '2026-03-10', '2026-09-01', '2026-09-02', {
        deadline: '2028-03-10',
        declarationsCloseOn: '2028-03-25',
      }),
    ]);
    const office = await registry.token({ role: 'district_office', district: '宽城区' });
    const waiting = await eventually(async () => {
      const res = await get('/standing?awaiting=district:operation-start', office);
      expect(res.body.items.map((s: { centerId: string }) => s.centerId)).toEqual([starting]);
      return res.body.items[0];
    });
    const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
    expect(waiting).toMatchObject({ phase: 'recognised', awaiting: ['district:operation-start'] });
    expect(waiting.declaredStartPendingDays).toBe(days('2026-09-02', shanghaiToday(new Date())));
    // No start waits for the office: null.
    const bureau = await registry.token({ role: 'city_bureau' });
    expect((await get(`/standing/${north}`, bureau)).body.declaredStartPendingDays).toBeNull();
    const later = await get(`/standing/as-of?at=2099-03-01&centerId=${starting}`, bureau);
    expect(later.body.items[0]).toMatchObject({
      awaiting: ['district:operation-start'],
      declaredStartPendingDays: days('2026-09-02', '2099-03-01'),
    });
  });
});
