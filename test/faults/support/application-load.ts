import { uuidv7 } from '@nqpf/contracts';
import { applicationFacts, requiredMaterials } from '@nqpf/testing';
import type { FaultSystem } from './system';
import { shanghaiToday } from '@nqpf/rules';

/** A command answered 2xx: its event must be in the store as this stream version. */
export interface Acknowledged {
  streamId: string;
  version: number;
}

export interface LoadResult {
  acknowledged: Acknowledged[];
  /** Answers by status; 0 = no answer (refused, reset, timed out). */
  statuses: Record<number, number>;
  commands: number;
}

async function send(port: number, path: string, token: string, body?: unknown): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(15000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Opens this year's call on intake (open all year, so every draft in the run falls inside it). */
export async function openYearCall(system: FaultSystem): Promise<string> {
  const year = Number(shanghaiToday(new Date()).slice(0, 4));
  const res = await fetch(`http://127.0.0.1:${system.intake.port}/calls`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await system.token({ role: 'city_bureau' })}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` }),
  });
  if (res.status !== 201) throw new Error(`open call: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { callId: string }).callId;
}

/**
 * A steady stream of commands on intake: `workers` loops, each taking a new center, drafting its
 * application (stream version 1) and submitting it (version 2), until stop() is called. Requests go to
 * intake's current port, so the stream follows a restarted process; answers that never come count as 0.
 */
export function applicationLoad(system: FaultSystem, callId: string, workers = 4) {
  const result: LoadResult = { acknowledged: [], statuses: {}, commands: 0 };
  let stopped = false;
  const record = (status: number) => {
    result.commands += 1;
    result.statuses[status] = (result.statuses[status] ?? 0) + 1;
  };
  const facts = applicationFacts();
  const worker = async () => {
    while (!stopped) {
      const centerId = uuidv7();
      const streamId = `application-${centerId}`;
      const token = await system.token({ role: 'operator', centerId });
      const drafted = await send(system.intake.port, '/applications', token, {
        callId,
        district: '南关区',
        facts,
        materials: requiredMaterials(),
      });
      record(drafted);
      if (drafted !== 201) {
        if (drafted === 0) await new Promise((r) => setTimeout(r, 100)); // the service is down
        continue;
      }
      result.acknowledged.push({ streamId, version: 1 });
      const submitted = await send(system.intake.port, `/applications/${centerId}/submit`, token);
      record(submitted);
      if (submitted === 200) result.acknowledged.push({ streamId, version: 2 });
    }
  };
  const running = Promise.all(Array.from({ length: workers }, worker));
  return {
    result,
    /** Ends the loops after their current command; resolves with everything counted. */
    async stop(): Promise<LoadResult> {
      stopped = true;
      await running;
      return result;
    },
  };
}
