import fs from 'node:fs';
import path from 'node:path';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}

const RESULTS = path.resolve(__dirname, '../results/latest.json');

/** Read-modify-write: replaces this bench's entries by name and keeps every other bench's. */
export function recordResults(results: BenchResult[]): string {
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  let existing: BenchResult[] = [];
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
    if (Array.isArray(parsed)) existing = parsed as BenchResult[];
  } catch {
    existing = [];
  }
  const names = new Set(results.map((r) => r.name));
  const merged = [...existing.filter((r) => !names.has(r.name)), ...results];
  fs.writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
  return RESULTS;
}

export function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => [
    r.name,
    r.value.toFixed(0),
    r.baseline.toFixed(0),
    r.unit,
    r.ratio.toFixed(2),
  ]);
  const header = ['name', 'value', 'baseline', 'unit', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
