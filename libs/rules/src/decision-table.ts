import { Decision, JsonValue } from './decision';

/** A decision as a plain-text table for people (the CLI's --pretty); JSON stays the record. */
export function formatDecisionTable(decision: Decision<unknown, unknown>): string {
  const versions = [decision.rulesetVersion, decision.policyVersion, decision.calendarVersion]
    .filter(Boolean)
    .join('  ');
  const head = ['rule', 'criterion', 'measured', 'threshold', 'result'];
  const rows = decision.reasons.map((r) => [
    r.ruleId,
    r.criterion,
    cell(r.measured),
    cell(r.threshold),
    r.passed ? 'pass' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [
    `${decision.rule}  (${versions})`,
    `outcome: ${outcomeText(decision.outcome)}`,
    '',
    line(head),
  ];
  decision.reasons.forEach((r, i) => {
    lines.push(line(rows[i]));
    lines.push(`    ${r.message.en}`);
    lines.push(`    ${r.message.zh}`);
  });
  return lines.join('\n');
}

function outcomeText(outcome: unknown): string {
  if (outcome === null || typeof outcome !== 'object') return cell(outcome as JsonValue, Infinity);
  return Object.entries(outcome)
    .filter(([, v]) => !(v !== null && typeof v === 'object' && !Array.isArray(v)))
    .map(([k, v]) => `${k}=${cell(v as JsonValue, Infinity)}`)
    .join('  ');
}

function cell(value: JsonValue, max = 40): string {
  const text =
    value === null || (Array.isArray(value) && value.length === 0)
      ? '-'
      : Array.isArray(value)
        ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',')
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
