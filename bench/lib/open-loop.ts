import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs JSON and resolves with the status (the body is drained, not read). */
export function post(port: number, path: string, token: string, body: unknown): Promise<number> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': data.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export interface OpenLoopRun {
  latencies: number[];
  errors: number;
  /** Completed requests per second, from the first send to the last answer. */
  throughput: number;
}

/**
 * Sends `total` requests at `rate` per second on a fixed schedule (open loop: a slow answer never delays
 * the next send, so queueing shows in the latencies instead of lowering the offered load).
 */
export async function openLoop(
  rate: number,
  total: number,
  send: (i: number) => Promise<number>,
): Promise<OpenLoopRun> {
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inflight.push(
      send(i).then(
        (status) => {
          if (status >= 200 && status < 300) latencies.push(performance.now() - t0);
          else errors += 1;
        },
        () => void (errors += 1),
      ),
    );
  }
  await Promise.all(inflight);
  return { latencies, errors, throughput: (latencies.length * 1000) / (performance.now() - start) };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
