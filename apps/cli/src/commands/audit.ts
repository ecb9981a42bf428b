import fs from 'node:fs';
import { replayStores, verifyStores, type ReplayRun, type StoreVerifyReport } from '@nqpf/audit';
import { SERVICES } from '@nqpf/contracts';
import { storesFromOptions } from '../store-options';
import { invalidInput, parseCommandLine, UsageError } from '../usage';

export const summary = 'audit the event stores: verify hash chains, replay every recorded decision';

const USAGE = `usage: nqpf audit verify|replay [--database-url URL …] [--services ${SERVICES.join(',')}] [--policy policy.json …] [--calendar-year cn-YYYY.json …]
  verify   checks every stream's hash chain in each store; names the first broken event; exit 1 on a break
  replay   re-runs every recorded decision with its recorded rule-set, policy and calendar versions;
           lists each mismatch; exit 1 on any mismatch (policies published in the stores are used;
           --policy adds versions kept elsewhere, --calendar-year the calendar years the services were
           given in NQPF_CALENDAR_YEARS)
Default stores: postgres://postgres@127.0.0.1:$NQPF_PG_PORT/<service> (deploy/config.env; env wins).
Exit 0 all good, 1 a break, mismatch or unreadable store, 2 invalid input. See docs/audit.md.`;

export async function run(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine({
      args,
      options: {
        'database-url': { type: 'string', multiple: true },
        services: { type: 'string' },
        policy: { type: 'string', multiple: true },
        'calendar-year': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const [action, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const locations = storesFromOptions(values['database-url'], values.services);
    if (action === 'verify') {
      if (values.policy || values['calendar-year'])
        throw new UsageError('--policy and --calendar-year: only for replay');
      return printVerify(await verifyStores(locations));
    }
    if (action === 'replay')
      return printReplay(
        await replayStores(locations, {
          policies: readJsonFiles('--policy', values.policy),
          calendarYears: readJsonFiles('--calendar-year', values['calendar-year']),
        }),
      );
    throw new UsageError(action ? `unknown action '${action}'` : 'give verify or replay');
  } catch (err) {
    if (err instanceof UsageError) return invalidInput('audit', err.message, USAGE);
    throw err;
  }
}

function readJsonFiles(option: string, files: string[] | undefined): unknown[] {
  return (files ?? []).map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${option}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? ''}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new UsageError(`${option} ${file}: not valid JSON (${(err as Error).message})`);
    }
  });
}

function printVerify(reports: StoreVerifyReport[]): number {
  for (const r of reports) {
    if (r.error) out(`${r.store}: ERROR ${r.error}`);
    else if (r.ok) out(`${r.store}: ${r.checked} events checked, ok`);
    else {
      const b = r.firstBroken!;
      out(
        `${r.store}: ${r.checked} events checked, BROKEN at stream ${b.streamId} version ${b.streamVersion} ` +
          `event ${b.eventId || '(removed)'}: ${b.problem} (${b.detail})`,
      );
    }
  }
  const bad = reports.filter((r) => !r.ok).length;
  out(
    bad === 0
      ? `verify: all ${reports.length} stores ok`
      : `verify: ${bad} of ${reports.length} stores NOT ok`,
  );
  return bad === 0 ? 0 : 1;
}

function printReplay(run: ReplayRun): number {
  run.warnings.forEach((w) => out(`warning: ${w}`));
  for (const s of run.stores) {
    if (s.error) {
      out(`${s.store}: ERROR ${s.error}`);
      continue;
    }
    out(
      `${s.store}: ${s.events} events, ${s.decisions} decisions, ${s.matches} match, ${s.mismatches.length} mismatch`,
    );
    for (const m of s.mismatches)
      out(`  MISMATCH event ${m.eventId} ${m.eventType} ${m.field} rule ${m.rule}: ${m.reason}`);
  }
  const seconds = run.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(run.decisions / seconds) : run.decisions;
  out(`policies known: ${run.policyVersions.join(', ')}`);
  out(
    `replay: ${run.decisions} decisions, ${run.matches} match, ${run.mismatches} mismatch ` +
      `in ${seconds.toFixed(2)} s (${rate} decisions/s)`,
  );
  const failed = run.mismatches > 0 || run.stores.some((s) => s.error);
  return failed ? 1 : 0;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}
