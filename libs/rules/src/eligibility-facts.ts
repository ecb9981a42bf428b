import {
  BROKER_LEVELS,
  BrokerLevel,
  codeOf,
  COOPERATION_LEVELS,
  CooperationLevel,
  FUNCTIONS,
  INSTITUTION_KINDS,
  InstitutionKind,
  SERVICES,
} from './catalogue';
import { normaliseCreditCode } from './credit-code';
import { RuleInputError } from './errors';
import { formatHundredths, readHundredths } from './values/hundredths';
import { readLocalDate } from './values/local-date';
import { readArray, readCount, readObject, readOneOf, readOptionalString, readString } from './values/read';

/** The facts art. 6 is checked on (an application, or a center after a major change), in normalised form. */
export interface EligibilityFacts {
  premises: { buildingAreaM2: string };
  services: string[];
  functions: string[];
  institutions: { name: string; kind: InstitutionKind; creditCode?: string }[];
  strategicCooperations: { partner: string; level: CooperationLevel }[];
  operator: { name?: string; creditCode?: string };
  team: { staffInPost: number; brokers: Record<BrokerLevel, number> };
  activities: { count: number; periodFrom?: string; periodTo?: string };
}

/** Reads untrusted facts (JSON), naming the field of the first problem; normalising twice changes nothing. */
export function readEligibilityFacts(raw: unknown, prefix = ''): EligibilityFacts {
  const f = (name: string) => `${prefix}${name}`;
  const o = readObject(raw, prefix ? prefix.slice(0, -1) : 'input', 'A6');
  const premises = readObject(o.premises, f('premises'), 'A6.1');
  const team = readObject(o.team, f('team'), 'A6.4');
  const brokersRaw = team.brokers === undefined ? {} : readObject(team.brokers, f('team.brokers'), 'A6.4');
  const brokers = {} as Record<BrokerLevel, number>;
  for (const level of BROKER_LEVELS)
    brokers[level] =
      brokersRaw[level] === undefined ? 0 : readCount(brokersRaw[level], f(`team.brokers.${level}`), 'A6.4');
  for (const key of Object.keys(brokersRaw)) readOneOf(key, BROKER_LEVELS, f(`team.brokers.${key}`), 'A6.4');
  const staffInPost = readCount(team.staffInPost, f('team.staffInPost'), 'A6.4');
  const brokerTotal = BROKER_LEVELS.reduce((n, level) => n + brokers[level], 0);
  if (brokerTotal > staffInPost)
    throw new RuleInputError(
      f('team.brokers'),
      `${brokerTotal} brokers cannot exceed ${staffInPost} staff in post`,
      'A6.4',
    );
  const operatorRaw =
    o.operator === undefined || o.operator === null ? {} : readObject(o.operator, f('operator'), 'A6.4');
  const operator: EligibilityFacts['operator'] = {};
  const operatorName = readOptionalString(operatorRaw.name, f('operator.name'), 'A6.4');
  const operatorCode = readOptionalString(operatorRaw.creditCode, f('operator.creditCode'), 'A6.4');
  if (operatorName) operator.name = operatorName;
  if (operatorCode) operator.creditCode = normaliseCreditCode(operatorCode);
  const activitiesRaw = readObject(o.activities, f('activities'), 'A6.5');
  const activities: EligibilityFacts['activities'] = {
    count: readCount(activitiesRaw.count, f('activities.count'), 'A6.5'),
  };
  if (activitiesRaw.periodFrom !== undefined)
    activities.periodFrom = readLocalDate(activitiesRaw.periodFrom, f('activities.periodFrom'), 'A6.5');
  if (activitiesRaw.periodTo !== undefined)
    activities.periodTo = readLocalDate(activitiesRaw.periodTo, f('activities.periodTo'), 'A6.5');
  return {
    premises: {
      buildingAreaM2: formatHundredths(
        readHundredths(premises.buildingAreaM2, f('premises.buildingAreaM2'), 'A6.1'),
      ),
    },
    services: readTerms(o.services, f('services'), SERVICES),
    functions: readTerms(o.functions, f('functions'), FUNCTIONS),
    institutions: readArray(o.institutions, f('institutions'), 'A6.3').map((item, i) => {
      const inst = readObject(item, f(`institutions[${i}]`), 'A6.3');
      const out: EligibilityFacts['institutions'][number] = {
        name: readString(inst.name, f(`institutions[${i}].name`), 'A6.3'),
        kind: readOneOf(inst.kind, INSTITUTION_KINDS, f(`institutions[${i}].kind`), 'A6.3'),
      };
      const code = readOptionalString(inst.creditCode, f(`institutions[${i}].creditCode`), 'A6.3');
      if (code) out.creditCode = normaliseCreditCode(code);
      return out;
    }),
    strategicCooperations: readArray(o.strategicCooperations, f('strategicCooperations'), 'A6.3').map(
      (item, i) => {
        const c = readObject(item, f(`strategicCooperations[${i}]`), 'A6.3');
        return {
          partner: readString(c.partner, f(`strategicCooperations[${i}].partner`), 'A6.3'),
          level: readOneOf(c.level, COOPERATION_LEVELS, f(`strategicCooperations[${i}].level`), 'A6.3'),
        };
      },
    ),
    operator,
    team: { staffInPost, brokers },
    activities,
  };
}

/** Services/functions by code or Chinese term; named ones become codes, further ones (等) are kept as given. */
function readTerms(value: unknown, field: string, table: Record<string, string>): string[] {
  const out = readArray(value, field, 'A6.2').map((item, i) => {
    const term = readString(item, `${field}[${i}]`, 'A6.2');
    return (codeOf(table, term) as string | undefined) ?? term;
  });
  return [...new Set(out)];
}
