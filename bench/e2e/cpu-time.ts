// CPU seconds a set of processes used (user + system, from /proc), to see what a command costs on 2 cores.
import fs from 'node:fs';
import path from 'node:path';
import type { TestDatabase } from '@nqpf/testing';

const TICKS_PER_SECOND = 100;

/** CPU milliseconds of one process so far; 0 when it is gone or /proc is not there. */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The PostgreSQL server processes serving a database (its sessions' backends). */
export async function backendPids(db: TestDatabase): Promise<number[]> {
  const { rows } = await db.pool.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  return rows.map((r) => r.pid);
}

/** Snapshots CPU time per named group of processes; `used()` is the CPU ms each group spent since. */
export async function cpuMeter(groups: Record<string, () => Promise<number[]> | number[]>) {
  const start = new Map<number, number>();
  for (const pids of await Promise.all(Object.values(groups).map((g) => g())))
    for (const pid of pids) start.set(pid, processCpuMs(pid));
  return {
    async used(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const [name, group] of Object.entries(groups)) {
        out[name] = (await group()).reduce((sum, pid) => sum + processCpuMs(pid) - (start.get(pid) ?? 0), 0);
      }
      return out;
    },
  };
}

/** This checkout's Kafka broker JVM (deploy/local/infra.sh; shared with everyone using it). */
export function kafkaBrokerPids(): number[] {
  const config = `${path.resolve(__dirname, '../..')}/.local/kafka/`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(config)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
