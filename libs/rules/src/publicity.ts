import { WorkingDayCalendar } from './calendar/working-day-calendar';
import { Decision, makeDecision, reason } from './decision';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { addDays, LocalDate, readLocalDate, startOfDayShanghai, yearOf } from './values/local-date';
import { readCount, readObject } from './values/read';

export interface PublicityInputs {
  publishedOn: LocalDate;
  workingDays: number;
}

export interface PublicityOutcome {
  /** The N-th working day after publication; the period runs to 24:00 Asia/Shanghai of this day. */
  lastDay: LocalDate;
  /** The first instant after the period (00:00 +08:00 of the next day); objections at or after it are late. */
  endsAtExclusive: string;
  countedDays: LocalDate[];
}

/** A9.3: the publication day is not counted; the period ends at 24:00 of the N-th working day after it. */
export function publicityEnd(
  publishedOn: LocalDate,
  workingDays: number,
  calendar: WorkingDayCalendar,
): PublicityOutcome {
  const countedDays = calendar.workingDaysAfter(publishedOn, workingDays);
  const lastDay = countedDays.length === 0 ? publishedOn : countedDays[countedDays.length - 1];
  return { lastDay, endsAtExclusive: startOfDayShanghai(addDays(lastDay, 1)), countedDays };
}

/**
 * The calendar years a period's end rests on: every year it runs through, and the next year's data where
 * they decided one of its days (a December day that year's notice rearranged). Recorded as the decision's
 * calendar version ('cn-2018.1+cn-2019.1'), so replay loads exactly these years and counts the same days;
 * a period no later notice touched names only its own years, as before.
 */
function calendarYearsOf(publishedOn: LocalDate, lastDay: LocalDate, calendar: WorkingDayCalendar): number[] {
  const first = yearOf(addDays(publishedOn, 1));
  const years = Array.from({ length: Math.max(1, yearOf(lastDay) - first + 1) }, (_, i) => first + i);
  for (let day = addDays(publishedOn, 1); day <= lastDay; day = addDays(day, 1))
    years.push(calendar.decidingYear(day));
  return years;
}

export function readPublicityInputs(raw: unknown, policy: Policy): PublicityInputs {
  const o = readObject(raw, 'input', 'A9.3');
  const workingDays =
    o.workingDays === undefined
      ? policy.publicityWorkingDays
      : readCount(o.workingDays, 'workingDays', 'A9.3');
  if (workingDays < policy.publicityWorkingDays)
    throw new RuleInputError(
      'workingDays',
      `publicity lasts at least ${policy.publicityWorkingDays} working days`,
      'A9.3',
    );
  return { publishedOn: readLocalDate(o.publishedOn, 'publishedOn', 'A9.3'), workingDays };
}

export function decidePublicityEnd(
  raw: unknown,
  policy: Policy,
  calendar: WorkingDayCalendar,
): Decision<PublicityInputs, PublicityOutcome> {
  const inputs = readPublicityInputs(raw, policy);
  const outcome = publicityEnd(inputs.publishedOn, inputs.workingDays, calendar);
  return makeDecision({
    rule: 'publicity-end',
    policyVersion: policy.version,
    calendarVersion: calendar.versionOf(calendarYearsOf(inputs.publishedOn, outcome.lastDay, calendar)),
    inputs,
    outcome,
    reasons: [
      reason(
        'A9.3',
        'publicityPeriod',
        outcome.countedDays.length,
        inputs.workingDays,
        true,
        `公示自${inputs.publishedOn}次日起算${inputs.workingDays}个工作日（${outcome.countedDays.join('、')}），至${outcome.lastDay} 24:00止`,
        `Publicity counts ${inputs.workingDays} working days from the day after ${inputs.publishedOn} ` +
          `(${outcome.countedDays.join(', ')}) and ends ${outcome.lastDay} 24:00 Asia/Shanghai`,
      ),
    ],
  });
}
