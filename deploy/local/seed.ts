/**
 * Demo data for a local stack (run by deploy/local/up.sh once every service is healthy): a dozen centers in
 * five districts at different phases, driven only through the services' public HTTP APIs with development
 * tokens, as the real actors would. Skipped when NQPF_SEED=0 or when intake already holds applications
 * (NQPF_SEED=force seeds anyway: ids and Idempotency-Keys are deterministic, so a retried step replays).
 *
 * Publicity lasts five working days from the day it is published (A9.3, never backdated), so the centers
 * shown as recognised or later are taken up to their publicity three weeks ago: the seed moves every
 * service's development clock there (PUT /dev/clock, NQPF_DEV_CLOCK=1 in deploy/local/services.sh), then
 * back to the wall clock, where review's stored deadline ends their publicity at once and the rest follows
 * today. An annual assessment needs a finished year after recognition (A17.1), so no center is graded yet.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintDevToken, type DevTokenRequest } from '@nqpf/auth';
import { creditCodeCheckChar } from '@nqpf/rules';

type Phase =
  | 'submitted'
  | 'endorsed'
  | 'eligible'
  | 'reviewed'
  | 'in-publicity'
  | 'recognized'
  | 'operating'
  | 'subsidised'
  | 'revoked';
const ORDER: Phase[] = [
  'submitted',
  'endorsed',
  'eligible',
  'reviewed',
  'in-publicity',
  'recognized',
  'operating',
  'subsidised',
  'revoked',
];

interface DemoCenter {
  n: number;
  name: string;
  district: string;
  phase: Phase;
  /** Ineligible facts (A6.1 area below 5 000 m²): rejected on acceptance. */
  tooSmall?: boolean;
  /** A real-name objection raised during publicity. */
  objection?: boolean;
}

const CENTERS: DemoCenter[] = [
  { n: 1, name: '长春南湖科技成果转化中心', district: '南关区', phase: 'submitted' },
  { n: 2, name: '长春净月数字经济转化中心', district: '朝阳区', phase: 'submitted' },
  { n: 3, name: '长春绿园先进制造转化中心', district: '绿园区', phase: 'endorsed' },
  { n: 4, name: '长春东盛新材料转化中心', district: '二道区', phase: 'eligible' },
  { n: 5, name: '长春北湖光电转化中心', district: '宽城区', phase: 'eligible', tooSmall: true },
  { n: 6, name: '长春人民大街生物医药转化中心', district: '南关区', phase: 'reviewed' },
  { n: 7, name: '长春红旗街汽车电子转化中心', district: '朝阳区', phase: 'in-publicity', objection: true },
  { n: 8, name: '长春西新智能装备转化中心', district: '绿园区', phase: 'in-publicity' },
  { n: 9, name: '长春吉林大路农业科技转化中心', district: '二道区', phase: 'recognized' },
  { n: 10, name: '长春亚泰技术转移中心', district: '南关区', phase: 'operating' },
  { n: 11, name: '长春卫星路科技金融转化中心', district: '朝阳区', phase: 'subsidised' },
  { n: 12, name: '长春兰家新能源转化中心', district: '宽城区', phase: 'revoked' },
];

const port = (name: string, fallback: number) => Number(process.env[`${name}_PORT`] ?? fallback);
const URLS = {
  intake: `http://127.0.0.1:${port('INTAKE', 3001)}`,
  review: `http://127.0.0.1:${port('REVIEW', 3002)}`,
  reporting: `http://127.0.0.1:${port('REPORTING', 3003)}`,
  assessment: `http://127.0.0.1:${port('ASSESSMENT', 3004)}`,
  finance: `http://127.0.0.1:${port('FINANCE', 3005)}`,
  registry: `http://127.0.0.1:${port('REGISTRY', 3006)}`,
};
type Service = keyof typeof URLS;

const EVIDENCE = 'e'.repeat(64);
const log = (message: string) => process.stderr.write(`[seed] ${message}\n`);

// ---- time (Asia/Shanghai calendar days) ----
const shanghaiToday = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const TODAY = shanghaiToday();
/** The day the centers shown as recognised or later were taken up to their publicity. */
const PAST = addDays(TODAY, -21);

// ---- ids: stable, so a retried run sends the same requests ----
function demoId(label: string): string {
  const h = createHash('sha256').update(`nqpf-demo:${label}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const centerId = (c: DemoCenter) => demoId(`center-${c.n}`);

// ---- HTTP ----
class HttpError extends Error {}

/** The JSON fields the seed reads from replies. */
interface Reply {
  callId?: string;
  status?: string;
  total?: number;
  recorded?: { payload: { declarationId?: string } }[];
  items?: { status: string; phase: string }[];
}

async function call(
  service: Service,
  method: 'GET' | 'POST',
  path: string,
  token: string | null,
  body?: unknown,
  key?: string,
): Promise<{ status: number; body: Reply }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (key) headers['idempotency-key'] = `demo-seed:${key}`;
  const res = await fetch(`${URLS[service]}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Reply };
}

/** A command that must succeed (2xx); its Idempotency-Key is derived from `key`. */
async function command(service: Service, path: string, token: string, body: unknown, key: string) {
  const res = await call(service, 'POST', path, token, body, key);
  if (res.status >= 300)
    throw new HttpError(`POST ${service}${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function read(service: Service, path: string, token: string) {
  return call(service, 'GET', path, token);
}

/** Polls until `check` returns a value (events travel over Kafka between services). */
async function until<T>(what: string, check: () => Promise<T | undefined>, seconds = 90): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---- actors ----
const tokens = new Map<string, string>();
async function token(request: DevTokenRequest): Promise<string> {
  const k = JSON.stringify(request);
  if (!tokens.has(k)) tokens.set(k, await mintDevToken({ ttl: 4 * 3600, ...request }));
  return tokens.get(k)!;
}
const bureau = () => token({ role: 'city_bureau', sub: 'demo-bureau', name: '市科技局 演示' });
const finance = () => token({ role: 'finance_officer', sub: 'demo-finance', name: '财政 演示' });
const expert = () => token({ role: 'expert', sub: 'demo-expert-1', name: '李四' });
const office = (district: string) =>
  token({ role: 'district_office', district, sub: `demo-office-${district}`, name: `${district}科技局` });
const operator = (c: DemoCenter) =>
  token({ role: 'operator', centerId: centerId(c), sub: `demo-operator-${c.n}`, name: c.name });

// ---- application facts: the rules' example, per center ----
const EXAMPLE = JSON.parse(
  readFileSync(join(__dirname, '../../libs/rules/examples/eligible-application.json'), 'utf8'),
) as Record<string, unknown>;

function facts(c: DemoCenter, day: string): Record<string, unknown> {
  const stem = `91220100MA${String(10000000 + c.n).slice(1)}`;
  const periodTo = addDays(day, -1);
  return {
    ...EXAMPLE,
    premises: { buildingAreaM2: c.tooSmall ? '4860.00' : `${5000 + c.n * 150}.00` },
    operator: { name: `${c.name}运营有限公司`, creditCode: stem + creditCodeCheckChar(stem) },
    // A6.5: activities of the 12 months before submission.
    activities: { count: 90 + c.n * 5, periodFrom: addDays(periodTo, -364), periodTo },
  };
}

const materials = ['application_form', 'construction_plan', 'co_construction_agreement'].map((kind) => ({
  kind,
  fileName: `${kind}.pdf`,
  mediaType: 'application/pdf',
  sizeBytes: 204800,
  sha256: createHash('sha256').update(kind).digest('hex'),
}));

// ---- the steps of a center's life ----
async function candidacy(c: DemoCenter) {
  const res = await read('review', `/candidacies/${centerId(c)}`, await bureau());
  return res.status === 200 ? (res.body as { status: string }) : undefined;
}

const reached = (c: DemoCenter, p: Phase) => ORDER.indexOf(c.phase) >= ORDER.indexOf(p);

/** From the draft to the publicity, on `day` (the services' clocks show that day). */
async function upToPublicity(c: DemoCenter, day: string): Promise<void> {
  const id = centerId(c);
  const k = (step: string) => `${id}:${step}`;
  const op = await operator(c);
  const callId = await callOf(Number(day.slice(0, 4)));

  await command(
    'intake',
    '/applications',
    op,
    { callId, district: c.district, facts: facts(c, day), materials },
    k('draft'),
  );
  await command('intake', `/applications/${id}/submit`, op, {}, k('submit'));
  if (!reached(c, 'endorsed')) return;
  await command(
    'intake',
    `/applications/${id}/endorse`,
    await office(c.district),
    { opinion: '同意推荐' },
    k('endorse'),
  );
  if (!reached(c, 'eligible')) return;
  await command('intake', `/applications/${id}/accept`, await bureau(), {}, k('accept'));
  const opened = await until(`candidacy ${c.n} opened`, async () => {
    const found = await candidacy(c);
    return found && found.status !== 'opened' ? found : undefined;
  });
  if (opened.status === 'rejected' || !reached(c, 'reviewed')) return;

  const post = async (path: string, who: string, body: unknown, step: string) =>
    command('review', `/candidacies/${id}/${path}`, who, body, k(step));
  await post('experts', await bureau(), { expertId: 'demo-expert-1' }, 'assign');
  await post('reviews', await expert(), { score: 80 + c.n, opinion: '服务功能齐全，机构集聚度高' }, 'review');
  await post(
    'site-inspections',
    await expert(),
    { inspectedOn: day, satisfactory: true, finding: '场地与申报一致' },
    'inspect',
  );
  if (!reached(c, 'in-publicity')) return;
  await post(
    'listing',
    await bureau(),
    { listId: `demo-list-${day}`, listed: true, reason: '评审和考察均通过' },
    'list',
  );
  await post('publicity', await bureau(), { publishedOn: day }, 'publicity');
  if (c.objection)
    await command(
      'review',
      `/candidacies/${id}/objections`,
      '',
      { objector: { name: '张三', contact: '13800000000' }, content: '近一年活动数量与实际不符，请核查' },
      k('objection'),
    );
}

/** From the end of the publicity on, today. */
async function fromRecognition(c: DemoCenter): Promise<void> {
  const id = centerId(c);
  const k = (step: string) => `${id}:${step}`;
  const op = await operator(c);
  const post = async (path: string, who: string, body: unknown, step: string) =>
    command('review', `/candidacies/${id}/${path}`, who, body, k(step));
  await until(`publicity of ${c.n} to end`, async () => {
    const status = (await candidacy(c))?.status;
    return status === 'publicity-ended' || status === 'recognized' ? true : undefined;
  });
  await post('agreement', await bureau(), { reason: '公示期满无异议，同意签订共建协议' }, 'sign-bureau');
  await post('agreement', await office(c.district), { reason: '同意签订共建协议' }, 'sign-district');
  if (!reached(c, 'operating')) return;

  const centers = (path: string) => `/centers/${id}/${path}`;
  await until(`reporting obligations of ${c.n}`, async () =>
    (await read('reporting', centers('obligations'), op)).status === 200 ? true : undefined,
  );
  await command('reporting', centers('operation-start'), op, { startedOn: TODAY }, k('operation-start'));
  await command(
    'reporting',
    centers('operation-start/confirm'),
    await office(c.district),
    { basis: `${TODAY} 现场核查：服务大厅开放，运营团队在岗` },
    k('confirm'),
  );
  await command(
    'reporting',
    centers('activities'),
    op,
    {
      type: 'roadshow',
      heldOn: TODAY,
      title: '科技成果路演',
      participants: 40 + c.n,
      evidenceHash: EVIDENCE,
    },
    k('activity'),
  );
  if (reached(c, 'subsidised') && c.phase !== 'revoked') await subsidise(c);
  if (c.phase === 'revoked') await revoke(c);
}

/** A12.2 year 1: declared costs approved, the grant paid in part and spent (A13). */
async function subsidise(c: DemoCenter): Promise<void> {
  const id = centerId(c);
  const op = await operator(c);
  const k = (step: string) => `${id}:${step}`;
  await until(`subsidy account of ${c.n}`, async () =>
    (await read('finance', `/accounts/${id}`, await bureau())).status === 200 ? true : undefined,
  );
  const declared = await command(
    'finance',
    `/accounts/${id}/year1-costs`,
    op,
    {
      items: [
        { category: '房租费', amountYuan: '600000.00', evidenceHash: EVIDENCE, description: '服务大厅租金' },
        { category: '建设费', amountYuan: '400000.00', evidenceHash: EVIDENCE, description: '展示区装修' },
      ],
    },
    k('year1-costs'),
  );
  const declarationId = declared.recorded?.[0]?.payload.declarationId;
  if (!declarationId) throw new HttpError(`year-1 declaration of ${c.n}: no declarationId in the reply`);
  await command(
    'finance',
    `/accounts/${id}/year1-costs/approve`,
    await bureau(),
    { declarationId, approvedYuan: '1000000.00' },
    k('approve'),
  );
  await command(
    'finance',
    `/accounts/${id}/disbursements`,
    await finance(),
    { supportYear: 1, amountYuan: '300000.00', reference: 'demo treasury voucher 0001' },
    k('disburse'),
  );
  await command(
    'finance',
    `/accounts/${id}/expenditures`,
    op,
    { supportYear: 1, category: '房租费', amountYuan: '120000.00', spentOn: TODAY, evidenceHash: EVIDENCE },
    k('spend'),
  );
}

/** A16: the premises shrink below 5 000 m²; reporting re-checks and assessment revokes over Kafka. */
async function revoke(c: DemoCenter): Promise<void> {
  const id = centerId(c);
  await command(
    'reporting',
    `/centers/${id}/major-changes`,
    await operator(c),
    {
      changes: ['area_changed'],
      description: '产权单位收回部分楼层，场地面积调整为4800平方米',
      effectiveOn: TODAY,
      // The rest of the A6 facts come from the recognition (reporting's baseline).
      newFacts: { premises: { buildingAreaM2: '4800.00' } },
    },
    `${id}:major-change`,
  );
  await until(`revocation of ${c.n}`, async () => {
    const res = await read('assessment', `/centers/${id}/assessment`, await bureau());
    return res.status === 200 && res.body.status === 'revoked' ? true : undefined;
  });
}

/** Two at a time: quick, yet gentle on a shared machine. */
async function pairs(centers: DemoCenter[], step: (c: DemoCenter) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < centers.length; i += 2) await Promise.all(centers.slice(i, i + 2).map(step));
}

/** The year's call for applications, opened once. */
const calls = new Map<number, Promise<string>>();
function callOf(year: number): Promise<string> {
  if (!calls.has(year))
    calls.set(
      year,
      bureau()
        .then((b) =>
          command(
            'intake',
            '/calls',
            b,
            { year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` },
            `call-${year}`,
          ),
        )
        .then((call) => call.callId!),
    );
  return calls.get(year)!;
}

/** Every service's development clock to `at` (an instant), or back to the wall clock (null). */
async function setClocks(at: string | null): Promise<void> {
  const b = await bureau();
  for (const service of Object.keys(URLS) as Service[]) {
    const res = await fetch(`${URLS[service]}/dev/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${b}` },
      body: JSON.stringify({ now: at }),
    });
    if (res.status !== 200)
      throw new HttpError(`PUT ${service}/dev/clock → ${res.status} (is NQPF_DEV_CLOCK=1 set for it?)`);
  }
}

async function main(): Promise<number> {
  const mode = process.env.NQPF_SEED ?? '1';
  if (mode === '0') return (log('NQPF_SEED=0: no demo data'), 0);
  const existing = await read('intake', '/applications?limit=1', await bureau());
  if (existing.status !== 200) throw new HttpError(`GET intake /applications → ${existing.status}`);
  if ((existing.body.total ?? 0) > 0 && mode !== 'force') {
    log(
      `intake already holds ${existing.body.total} applications: demo data not added (NQPF_SEED=force adds it)`,
    );
    return 0;
  }
  const b = await bureau();
  await command(
    'review',
    '/experts/demo-expert-1',
    b,
    { name: '李四', specialties: ['技术转移', '知识产权'] },
    'expert-1',
  );
  const early = CENTERS.filter((c) => reached(c, 'recognized'));
  const show = (c: DemoCenter) =>
    log(`#${c.n} ${c.name} (${c.district}): ${c.phase}${c.tooSmall ? ' → rejected (A6.1)' : ''}`);
  log(`seeding ${CENTERS.length} centers; ${early.length} are taken to their publicity on ${PAST}`);
  await setClocks(`${PAST}T09:00:00+08:00`);
  try {
    await pairs(early, (c) => upToPublicity(c, PAST));
  } finally {
    await setClocks(null);
  }
  await pairs(early, async (c) => (await fromRecognition(c), show(c)));
  await pairs(
    CENTERS.filter((c) => !early.includes(c)),
    async (c) => (await upToPublicity(c, TODAY), show(c)),
  );
  const standing = await until('the registry to show every center', async () => {
    const res = await read('registry', '/standing?limit=200', b);
    return res.status === 200 && (res.body.total ?? 0) >= CENTERS.length ? res.body : undefined;
  });
  const counts = new Map<string, number>();
  for (const row of standing.items ?? [])
    counts.set(`${row.status}/${row.phase}`, (counts.get(`${row.status}/${row.phase}`) ?? 0) + 1);
  log(`registry standing: ${[...counts].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(`failed: ${err.message}`);
    process.exit(1);
  },
);
