/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai (UTC+8 all year: no daylight saving). */
export function toShanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
