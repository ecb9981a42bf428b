// Reads a service's GET /metrics (Prometheus text format) into name → summed value, so a metric labelled per
// partition or per handle type reads as one number per service.

export type Scrape = Record<string, number>;

export function parsePrometheus(text: string): Scrape {
  const sums: Scrape = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) sums[match[1]!] = (sums[match[1]!] ?? 0) + value;
  }
  return sums;
}

export async function scrape(port: number): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!res.ok) throw new Error(`GET :${port}/metrics → ${res.status}`);
  return parsePrometheus(await res.text());
}
