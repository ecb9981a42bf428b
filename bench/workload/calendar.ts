/** Calendar days as 'YYYY-MM-DD' (Asia/Shanghai dates; arithmetic in UTC so no offset creeps in). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function quarterEndOf(year: number, quarter: number): string {
  return addDays(
    `${quarter === 4 ? year + 1 : year}-${String((quarter % 4) * 3 + 1).padStart(2, '0')}-01`,
    -1,
  );
}

/** 10:00 on that day in Asia/Shanghai: the moment the services' clock shows while the day's steps run. */
export const morningOf = (day: string) => new Date(`${day}T10:00:00+08:00`);
