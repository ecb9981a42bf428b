/** RFC 4180 CSV: every field quoted when it holds a comma, quote or line break; CRLF between records. */
export function toCsv(header: string[], rows: unknown[][]): string {
  const field = (value: unknown): string => {
    const text =
      value === null || value === undefined
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
