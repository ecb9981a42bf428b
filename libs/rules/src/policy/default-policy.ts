/**
 * The default policy of RULES.md. Every number here is the city's to set (the measures leave them open)
 * EXCEPT where marked "fixed by the measures": those restate the text and a new policy may not loosen them
 * without a change of the measures — finance's policy book refuses one that does (MEASURE_LIMITS in
 * publishable-policy.ts, naming the field and the article). Publish a changed policy as a new object with a
 * new version and effectiveFrom; never edit a released one (recorded decisions name it and are replayed
 * with it).
 */
export const DEFAULT_POLICY = {
  version: 'policy-2026.1',
  effectiveFrom: '2026-01-01',
  /** A6.1 fixed by the measures (5000平方米以上): a policy may raise it. */
  minAreaM2: '5000.00',
  /** A6.2 fixed by the measures (the named minimum; 等 allows more to be offered): may add, never drop. */
  requiredServices: [
    'technology_trading',
    'intellectual_property',
    'financial_matching',
    'talent_services',
    'legal_services',
  ],
  requiredFunctions: ['display', 'interaction', 'trading', 'transformation'],
  /** A6.3 fixed by the measures (不少于10家): a policy may raise it. */
  minInstitutions: 10,
  /** A6.3 "形成战略合作" without a number: at least 1 is fixed by the measures, more is the city's to set. */
  minStrategicCooperations: 1,
  /** A6.4 fixed by the measures (不少于10人, 50%以上): a policy may raise them. */
  minStaff: 10,
  minBrokerShare: { num: 1, den: 2 },
  /** A6.5 fixed by the measures (不少于100场): a policy may raise it. */
  minActivitiesPerYear: 100,
  /** A8 fixed by the measures: a policy may also require 'other', never drop one of these. */
  requiredMaterials: ['application_form', 'construction_plan', 'co_construction_agreement'],
  /** A9.3 fixed by the measures (不少于5个工作日): a policy may lengthen it. */
  publicityWorkingDays: 5,
  /** A12.1 fixed by the measures (连续支持三年): exactly 3. */
  supportYears: 3,
  /** A12.2 city's to set, above 0: rate and cap of the year-1 subsidy (50 %, 3,000,000 CNY). */
  year1Rate: { num: 1, den: 2 },
  year1CapFen: '300000000',
  /**
   * A12.3 city's to set, above 0: base of the year-2/3 post-subsidy (1,000,000 CNY) and the ratios of 优秀,
   * 良好, 合格. 不合格 is fixed by the measures at 0 (A17.2 不合格的，不给予后补助支持).
   */
  annualBaseFen: '100000000',
  gradeRatio: {
    优秀: { num: 1, den: 1 },
    良好: { num: 3, den: 4 },
    合格: { num: 1, den: 2 },
    不合格: { num: 0, den: 1 },
  },
  /** A17.1 city's to set: score bands (lower bound inclusive); each of the four grades has one. */
  gradeBands: [
    { grade: '不合格', fromScore: 0, toScore: 60 },
    { grade: '合格', fromScore: 60, toScore: 80 },
    { grade: '良好', fromScore: 80, toScore: 90 },
    { grade: '优秀', fromScore: 90, toScore: 100 },
  ],
  /** A14 city's to set: the text says "每季度" without a due date. */
  quarterlyReportDueDays: 15,
  /** A15 fixed by the measures (每年1月底前): 01-31 or earlier. */
  annualReportDueMonthDay: '01-31',
  /** A17.3 fixed by the measures (两年内, 连续两年): exactly 2 and 2. */
  operatingDeadlineYears: 2,
  /**
   * A17.3a the system's to set (the measures set none; 0 to 90): a start dated on or before the operating
   * deadline may still be declared this many calendar days after it — the fact counts, not the day it was
   * declared. A version without it (published before it existed) is read with this value.
   */
  operationStartDeclarationDays: 15,
  consecutiveUnqualifiedToRevoke: 2,
  /** A13 fixed by the measures (the allowed list): a policy may add to it, never drop from it; a forbidden
   * use (罚款、捐款、赞助、投资) is rejected whatever the list says. */
  allowedExpenditureCategories: [
    'construction',
    'rent',
    'property_management',
    'energy',
    'communications',
    'st_events',
    'media_promotion',
    'venue_maintenance',
    'equipment_renewal',
    'design_renovation',
    'venue_informatisation',
  ],
} as const;
