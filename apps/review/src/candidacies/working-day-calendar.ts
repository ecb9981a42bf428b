import { readFileSync } from 'node:fs';
import { ConfigError } from '@nqpf/platform';
import { bundledCalendar, WorkingDayCalendar } from '@nqpf/rules';

/**
 * The working-day calendar of A9.3: the years shipped with this release plus the year files named in
 * NQPF_CALENDAR_YEARS. The State Council publishes next year's arrangements in the autumn, usually after
 * the release in production, so operators add the year without a new release. A year covered by neither
 * stays an explicit error (a 503 naming it), never guessed from weekdays. A bad file stops the start.
 */
export function loadWorkingDayCalendar(files: string[]): WorkingDayCalendar {
  const calendar = bundledCalendar();
  for (const file of files) {
    try {
      calendar.load(JSON.parse(readFileSync(file, 'utf8')));
    } catch (err) {
      throw new ConfigError([`NQPF_CALENDAR_YEARS: ${file}: ${(err as Error).message}`]);
    }
  }
  return calendar;
}
