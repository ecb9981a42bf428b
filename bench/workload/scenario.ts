import { DEFAULT_POLICY } from '@nqpf/rules';
import { addDays, daysBetween, quarterEndOf } from './calendar';
import { DISTRICTS, type District } from './districts';
import { applicationFacts, MATERIALS } from './facts';
import { Prng } from './prng';
import type { ActorSpec, Step } from './steps';

export interface ScenarioOptions {
  seed: number;
  centers: number;
  /** First calendar year; the default policy is in force from 2026. */
  startYear?: number;
  years?: number;
  /**
   * Years with a call for applications, from startYear. Publicity (A9.3) counts working days, and the
   * bundled holiday calendar of libs/rules covers 2025–2026 only, so by default every center applies in
   * the first year and the later years are its life after recognition.
   */
  callYears?: number;
  /** Mean activities a center logs per year (A6.5 asks at least 100). */
  activitiesPerYear?: number;
}

export type Outcome = 'ineligible' | 'not-listed' | 'recognised' | 'revoked';

/** What the registry should show for a center once every step has run. */
export interface CenterPlan {
  centerId: string;
  n: number;
  district: District;
  cohortYear: number;
  outcome: Outcome;
  /** Ledger totals in fen over all support years. */
  granted: bigint;
  disbursed: bigint;
  spent: bigint;
}

export interface Scenario {
  options: Required<ScenarioOptions>;
  endDay: string;
  centers: CenterPlan[];
  /** In day order; steps of one day keep the order they were planned in. */
  steps: Step[];
}

const EXPERTS = 30;
const EVIDENCE_TYPES = ['roadshow', 'matchmaking', 'visit', 'other'] as const;
const CATEGORIES = DEFAULT_POLICY.allowedExpenditureCategories;
const YUAN = 100n;

const bureau: ActorSpec = { role: 'city_bureau', sub: 'wl-bureau' };
const financeOfficer: ActorSpec = { role: 'finance_officer', sub: 'wl-finance' };
const office = (d: District): ActorSpec => ({
  role: 'district_office',
  sub: `wl-office-${d.code}`,
  district: d.name,
});
const expertId = (i: number) => `wl-expert-${i}`;

/** A17.1 bands and A12.3 ratios of the default policy, in whole points and percent. */
function gradeRatioPercent(score: number): bigint {
  if (score >= 90) return 100n;
  if (score >= 80) return 75n;
  if (score >= 60) return 50n;
  return 0n;
}

function uuidFrom(prng: Prng): string {
  const h = prng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const yuanText = (fen: bigint) => `${fen / YUAN}.${String(fen % YUAN).padStart(2, '0')}`;

/**
 * A multi-year history of calls, applications, reviews, reports, activities, assessments, grants and
 * expenditures, every choice drawn from one seeded PRNG: the same options always give the same steps.
 */
export function buildScenario(input: ScenarioOptions): Scenario {
  const options: Required<ScenarioOptions> = {
    startYear: 2026,
    years: 5,
    callYears: 1,
    activitiesPerYear: 100,
    ...input,
  };
  const prng = new Prng(options.seed);
  const endDay = `${options.startYear + options.years}-03-31`;
  const steps: Step[] = [];
  const add = (step: Step) => {
    if (step.day <= endDay) steps.push(step);
  };

  const firstDay = `${options.startYear}-02-10`;
  for (let i = 0; i < EXPERTS; i++)
    add({
      day: firstDay,
      kind: 'register-expert',
      target: expertId(i),
      centerId: null,
      actor: bureau,
      body: { name: `专家${i}`, specialties: ['技术转移', '知识产权'] },
    });
  for (let y = options.startYear; y < options.startYear + options.callYears; y++)
    add({
      day: `${y}-02-20`,
      kind: 'open-call',
      target: null,
      centerId: null,
      actor: bureau,
      body: { year: y, opensOn: `${y}-03-01`, closesOn: `${y}-04-30` },
      save: { key: `call-${y}`, from: 'callId' },
    });

  const centers: CenterPlan[] = [];
  for (let n = 1; n <= options.centers; n++) {
    const center = planCenter(prng, n, options, endDay);
    centers.push(center.plan);
    center.steps.forEach(add);
  }
  // Stable: a day's steps keep their planned order (a center's steps stay in sequence).
  const ordered = steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (a.s.day < b.s.day ? -1 : a.s.day > b.s.day ? 1 : a.i - b.i));
  return { options, endDay, centers, steps: ordered.map((o) => o.s) };
}

function planCenter(prng: Prng, n: number, options: Required<ScenarioOptions>, endDay: string) {
  const centerId = uuidFrom(prng);
  const district = DISTRICTS[(n - 1) % DISTRICTS.length]!;
  const cohortYear = options.startYear + prng.int(0, options.callYears - 1);
  const operator: ActorSpec = { role: 'operator', sub: `wl-operator-${n}`, centerId };
  const plan: CenterPlan = {
    centerId,
    n,
    district,
    cohortYear,
    outcome: 'recognised',
    granted: 0n,
    disbursed: 0n,
    spent: 0n,
  };
  const steps: Step[] = [];
  const step = (
    day: string,
    kind: Step['kind'],
    actor: ActorSpec,
    body?: Record<string, unknown>,
    extra: Partial<Step> = {},
  ) => steps.push({ day, kind, target: centerId, centerId, actor, ...(body ? { body } : {}), ...extra });

  // Intake (A7, A8): draft and submit in the call window, district endorsement, bureau acceptance.
  const applied = addDays(`${cohortYear}-03-01`, prng.int(0, 50));
  const ineligible = prng.chance(0.04);
  const area = ineligible ? '4860.00' : `${prng.int(5000, 12000)}.00`;
  step(
    applied,
    'draft',
    operator,
    {
      callId: `$var:call-${cohortYear}`,
      district: district.name,
      facts: applicationFacts(n, area, applied),
      materials: MATERIALS,
    },
    { target: null },
  );
  step(applied, 'submit', operator);
  const endorsed = addDays(applied, prng.int(1, 5));
  step(endorsed, 'endorse', office(district), { opinion: '同意推荐' });
  const accepted = addDays(endorsed, prng.int(1, 5));
  step(accepted, 'accept', bureau);
  if (ineligible) return { plan: { ...plan, outcome: 'ineligible' as const }, steps };

  // Review (A9): an expert reviews and inspects, the bureau lists, publishes, and both sides sign.
  const expert: ActorSpec = { role: 'expert', sub: expertId(prng.int(0, EXPERTS - 1)) };
  let day = addDays(accepted, prng.int(3, 10));
  step(day, 'assign-expert', bureau, { expertId: expert.sub });
  day = addDays(day, prng.int(1, 5));
  step(day, 'review', expert, { score: prng.int(65, 98), opinion: '服务功能齐全，机构集聚度高' });
  day = addDays(day, prng.int(1, 5));
  step(day, 'inspect', expert, { inspectedOn: day, satisfactory: true, finding: '场地与申报一致' });
  day = addDays(day, prng.int(1, 5));
  const listed = !prng.chance(0.05);
  step(day, 'listing', bureau, {
    listId: `wl-list-${cohortYear}`,
    listed,
    reason: listed ? '评审和考察均通过' : '综合评审排名未进入',
  });
  if (!listed) return { plan: { ...plan, outcome: 'not-listed' as const }, steps };
  const published = addDays(day, prng.int(1, 3));
  step(published, 'publicity', bureau, { publishedOn: published });
  // Five working days of publicity (A9.3) end well within three weeks; the timer ends it on its own.
  const bureauSigned = addDays(published, 21);
  step(bureauSigned, 'sign', bureau, { reason: '公示期满无异议，同意签订共建协议' });
  const recognizedOn = addDays(bureauSigned, prng.int(1, 3));
  step(recognizedOn, 'sign', office(district), { reason: '同意签订共建协议' });

  // Reporting (A14, A15): operation starts, activities all year, quarterly and annual reports.
  const startedOn = addDays(recognizedOn, prng.int(7, 30));
  step(startedOn, 'operation-start', operator, { startedOn });
  const confirmed = addDays(startedOn, prng.int(1, 5));
  step(confirmed, 'confirm-start', office(district), { basis: `${confirmed} 现场核查：运营团队在岗` });

  // A weak center scores below 60 every year: revoked at its second assessment (A17.3b).
  const weak = prng.chance(0.03);
  const quality = prng.int(60, 95);
  const recognitionYear = Number(recognizedOn.slice(0, 4));
  let revokedOn: string | null = null;
  const gradeByYear = new Map<number, { day: string; ratio: bigint }>();
  for (let y = recognitionYear, unqualified = 0; ; y++) {
    const assessed = addDays(`${y + 1}-02-10`, prng.int(0, 30));
    if (assessed > endDay || revokedOn) break;
    const score = weak ? prng.int(40, 59) : Math.min(99, Math.max(60, quality + prng.int(-8, 8)));
    const first = prng.int(20, Math.min(60, score));
    step(assessed, 'assess', bureau, {
      year: y,
      method: {
        kind: 'score',
        indicators: [
          { name: '服务成效', score: first },
          { name: '活动组织', score: score - first },
        ],
      },
    });
    gradeByYear.set(y, { day: assessed, ratio: gradeRatioPercent(score) });
    unqualified = score < 60 ? unqualified + 1 : 0;
    if (unqualified >= 2) revokedOn = assessed;
  }
  const until = revokedOn ?? endDay;
  const before = (d: string) => d < until;

  const span = daysBetween(confirmed, until);
  const activities = Math.round((span * options.activitiesPerYear) / 365);
  for (let i = 0; i < activities; i++) {
    const heldOn = addDays(confirmed, prng.int(1, Math.max(1, span - 1)));
    step(heldOn, 'activity', operator, {
      type: prng.pick(EVIDENCE_TYPES),
      heldOn,
      title: `科技成果对接活动${i + 1}`,
      participants: prng.int(15, 200),
      evidenceHash: prng.hex(64),
    });
  }
  for (let y = recognitionYear; `${y}-01-01` < until; y++) {
    for (let q = 1; q <= 4; q++) {
      const end = quarterEndOf(y, q);
      if (end < recognizedOn) continue;
      const filed = addDays(end, prng.chance(0.05) ? prng.int(16, 40) : prng.int(2, 14));
      if (before(filed))
        step(filed, 'report', operator, {
          kind: 'quarterly',
          year: y,
          quarter: q,
          content: {
            majorActivities: `第${q}季度举办路演与对接活动`,
            importantResults: '促成技术合同若干项',
          },
        });
    }
    const annual = addDays(`${y + 1}-01-05`, prng.int(0, 22));
    if (before(annual))
      step(annual, 'report', operator, {
        kind: 'annual',
        year: y,
        content: {
          targetsMet: '完成年度目标',
          fundsUse: '按规定使用',
          problems: '无',
          nextYearPlan: '扩大服务范围',
        },
      });
  }

  // Finance (A12, A13): year-1 costs declared and approved, grants paid in two tranches, spending recorded.
  const spendAfter = (tranche: bigint, paidOn: string, supportYear: number) => {
    const count = prng.int(4, 8);
    const each = ((tranche * 8n) / 10n / BigInt(count) / YUAN) * YUAN;
    for (let i = 0; i < count; i++) {
      const spentOn = addDays(paidOn, prng.int(5, 110));
      if (!before(spentOn)) continue;
      const forbidden = prng.chance(0.03);
      // A13 with A12.1: support year n's spending is dated in its calendar year, even if recorded later.
      const yearEnd = `${recognitionYear + supportYear - 1}-12-31`;
      step(spentOn, 'expenditure', operator, {
        supportYear,
        category: forbidden ? 'fine' : prng.pick(CATEGORIES),
        amountYuan: yuanText(each),
        spentOn: spentOn < yearEnd ? spentOn : yearEnd,
        evidenceHash: prng.hex(64),
        description: forbidden ? '逾期罚款' : '日常运营支出',
      });
      if (!forbidden) plan.spent += each;
    }
  };
  const pay = (grant: bigint, from: string, supportYear: number) => {
    const first = (grant / 2n / YUAN) * YUAN;
    const tranches: [string, bigint][] = [
      [addDays(from, 10), first],
      [addDays(from, 120), grant - first],
    ];
    for (const [paidOn, amount] of tranches) {
      if (!before(paidOn) || amount === 0n) continue;
      step(paidOn, 'disburse', financeOfficer, {
        supportYear,
        amountYuan: yuanText(amount),
        reference: `国库支付凭证 ${supportYear}-${paidOn}`,
      });
      plan.disbursed += amount;
      spendAfter(amount, paidOn, supportYear);
    }
  };

  const declared = addDays(confirmed, prng.int(10, 40));
  const declaredFen = BigInt(prng.int(100, 400)) * 10_000n * YUAN;
  const approvedOn = addDays(declared, prng.int(5, 20));
  if (before(declared)) {
    const rent = ((declaredFen * 6n) / 10n / YUAN) * YUAN;
    step(
      declared,
      'declare-year1-costs',
      operator,
      {
        items: [
          {
            category: 'rent',
            amountYuan: yuanText(rent),
            evidenceHash: prng.hex(64),
            description: '服务大厅租金',
          },
          {
            category: 'construction',
            amountYuan: yuanText(declaredFen - rent),
            evidenceHash: prng.hex(64),
            description: '展示区建设',
          },
        ],
      },
      { save: { key: `declaration-${centerId}`, from: 'declarationId' } },
    );
  }
  if (before(approvedOn)) {
    step(approvedOn, 'approve-year1-costs', bureau, {
      declarationId: `$var:declaration-${centerId}`,
      approvedYuan: yuanText(declaredFen),
    });
    const cap = BigInt(DEFAULT_POLICY.year1CapFen);
    const grant = declaredFen / 2n < cap ? declaredFen / 2n : cap;
    plan.granted += grant;
    pay(grant, approvedOn, 1);
  }
  // A12.3: the assessment of support year n grants year n+1, the base times the grade's ratio.
  for (let supportYear = 2; supportYear <= DEFAULT_POLICY.supportYears; supportYear++) {
    const graded = gradeByYear.get(recognitionYear + supportYear - 2);
    if (!graded) break;
    const grant = (BigInt(DEFAULT_POLICY.annualBaseFen) * graded.ratio) / 100n;
    plan.granted += grant;
    if (!revokedOn || graded.day < revokedOn) pay(grant, graded.day, supportYear);
  }

  return { plan: { ...plan, outcome: revokedOn ? ('revoked' as const) : ('recognised' as const) }, steps };
}
