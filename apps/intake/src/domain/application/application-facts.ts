import type { ApplicationFactsV1 } from '@nqpf/contracts';
import {
  areaInTwoPlaces,
  InvalidInputError,
  readFactTerms,
  readInstitution,
  readStrategicCooperation,
  requireAreaText,
  requireArray,
  requireCount,
  requireCreditCode,
  requireDate,
  requireFactName,
  requireObject,
} from '@nqpf/domain';
import { addYears, FUNCTIONS, SERVICES } from '@nqpf/rules';

/**
 * Checks the shape of the A6 facts and normalises them (area to two decimals, credit codes upper-case,
 * lists without repeats). Whether they meet art. 6 is review's decision, not a validation error.
 */
export function readApplicationFacts(raw: unknown, prefix = 'facts'): ApplicationFactsV1 {
  const f = (name: string) => `${prefix}.${name}`;
  const o = requireObject(prefix, raw, [
    'premises',
    'services',
    'functions',
    'functionTags',
    'institutions',
    'strategicCooperations',
    'operator',
    'team',
    'activities',
  ]);
  const premises = requireObject(f('premises'), o.premises, ['buildingAreaM2']);
  const area = requireAreaText(f('premises.buildingAreaM2'), premises.buildingAreaM2);
  const team = requireObject(f('team'), o.team, ['staffInPost', 'brokers']);
  const brokersRaw = requireObject(f('team.brokers'), team.brokers, ['junior', 'intermediate', 'senior']);
  const brokers = {
    junior: requireCount(f('team.brokers.junior'), brokersRaw.junior ?? 0),
    intermediate: requireCount(f('team.brokers.intermediate'), brokersRaw.intermediate ?? 0),
    senior: requireCount(f('team.brokers.senior'), brokersRaw.senior ?? 0),
  };
  const staffInPost = requireCount(f('team.staffInPost'), team.staffInPost);
  if (brokers.junior + brokers.intermediate + brokers.senior > staffInPost)
    throw new InvalidInputError(
      f('team.brokers'),
      `brokers cannot outnumber the ${staffInPost} staff in post`,
    );
  const operator = requireObject(f('operator'), o.operator, ['name', 'creditCode']);
  const activities = requireObject(f('activities'), o.activities, ['count', 'periodFrom', 'periodTo']);
  const periodFrom = requireDate(f('activities.periodFrom'), activities.periodFrom);
  const periodTo = requireDate(f('activities.periodTo'), activities.periodTo);
  if (periodTo < periodFrom)
    throw new InvalidInputError(f('activities.periodTo'), 'must not be before periodFrom');
  // A6.5 "a year" of activities: at most 12 months, so periodTo falls before the same day a year after
  // periodFrom (2025-03-01..2026-02-28, not ..2026-03-01, which is 366 days).
  const yearAfter = addYears(periodFrom, 1);
  if (periodTo >= yearAfter)
    throw new InvalidInputError(
      f('activities.periodTo'),
      `the activity period spans at most 12 months: it must end before ${yearAfter} (A6.5)`,
    );
  const facts: ApplicationFactsV1 = {
    premises: { buildingAreaM2: areaInTwoPlaces(area) },
    services: readFactTerms(f('services'), o.services, SERVICES),
    functions: readFactTerms(f('functions'), o.functions, FUNCTIONS),
    institutions: requireArray(f('institutions'), o.institutions).map((item, i) =>
      readInstitution(f(`institutions[${i}]`), item),
    ),
    strategicCooperations: requireArray(f('strategicCooperations'), o.strategicCooperations).map((item, i) =>
      readStrategicCooperation(f(`strategicCooperations[${i}]`), item),
    ),
    operator: {
      name: requireFactName(f('operator.name'), operator.name),
      creditCode: requireCreditCode(f('operator.creditCode'), operator.creditCode),
    },
    team: { staffInPost, brokers },
    activities: { count: requireCount(f('activities.count'), activities.count), periodFrom, periodTo },
  };
  if (o.functionTags !== undefined) facts.functionTags = readFactTerms(f('functionTags'), o.functionTags);
  return facts;
}
