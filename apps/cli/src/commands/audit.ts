import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  emptyTopicWarnings,
  HeadsFileError,
  headsFromTopics,
  parseHeadsFile,
  POLICY_BOOK_STORE,
  ReplayExtraError,
  replayStores,
  resealStoreHeads,
  sealStoreHeads,
  takeHeads,
  verifyStores,
  type HeadsFile,
  type ReplayRun,
  type StoreVerifyReport,
  type StoreLocation,
} from '@nqpf/audit';
import { serviceTopic, type ServiceName } from '@nqpf/contracts';
import { EventSealer, SealKeyError, type SealKeys } from '@nqpf/event-store';
import { replayCleanupsDone } from '@nqpf/messaging';
import { kafkaConfigSpec } from '@nqpf/platform';
import { configFromEnv, kafkaOf, LOCAL_DEFAULTS_HELP } from '../environment';
import { required, runCommand } from '../options';
import { SEAL_KEYS_HELP, sealKeysByStore } from '../seal-keys-option';
import {
  announceLocalStores,
  STORE_OPTIONS,
  STORE_OPTIONS_HELP,
  STORE_OPTIONS_SYNOPSIS,
  storesFromOptions,
} from '../store-options';
import { UsageError } from '../usage';

export const summary =
  'audit the event stores: verify hash chains and seals, replay every recorded decision, take stream heads';

const USAGE = `usage: nqpf audit verify|replay|heads|seal-heads|reseal ${STORE_OPTIONS_SYNOPSIS} [--heads heads.json|-] [--seal-keys [NAME=]public.pem …] [--seal-key-file private.pem] [--retired-key public.pem] [--out heads.json|-] [--from-kafka] [--policy policy.json …] [--calendar-year cn-YYYY.json …] [--without-policy-book]
  verify   checks every stream's hash chain in each store; names each broken stream's first broken event; exit 1 on a break;
           with --heads, every stream must also reach the heads in that file with the same hashes (reveals
           removed last events and tails rewritten with new hashes, which chains alone cannot show);
           with --seal-keys (the services' PEM public keys), every event must lie inside a seal of one of
           them, each append's seal starting where the one before ended (reveals events added by whoever
           could write to a database without a service key, also under a later append of the service);
           ${SEAL_KEYS_HELP}
  heads    writes every stream's head (last version and hash) to --out, a file that must not exist yet;
           keep it outside the databases (and its printed SHA-256 in a register) for a later verify
           --heads; with --from-kafka, the heads of the copies each service published to its topic instead
           (Kafka as the services reach it: KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_TLS*, KAFKA_SASL_*).
           --out - writes the heads to stdout, and what it says about them (SHA-256, warnings) to stderr:
           kubectl exec … --out - > heads.json, from a pod whose filesystem is read-only
  seal-heads  once, for ONE store written before its service had a seal key: verifies it against --heads
           (required: heads taken --from-kafka when the keys were rolled out) and, if whole, seals with
           --seal-key-file (that service's key) each stream's head from before the key that equals those
           (also when the service appended to it since); names the others (exit 1)
  reseal   retires a key that leaked, in ONE store: verifies it against --heads (required: heads taken
           BEFORE the leak, kept outside) and re-seals with --seal-key-file (the service's new key), in every
           stream, the last event --retired-key (its public key) validly sealed, where it is the head in
           that file;
           names the others (exit 1). Then drop the retired key from --seal-keys.
  replay   re-runs every recorded decision with its recorded rule-set, policy and calendar versions,
           checks each event agrees with its decisions and each decision names the policy in force on its
           day; lists each mismatch; exit 1 on any mismatch (policies published in the stores are used;
           --policy adds versions kept elsewhere, --calendar-year the calendar years the services were
           given in NQPF_CALENDAR_YEARS). Which policy was in force is read from finance's store (the
           policy book): the stores must include finance (--services …,finance or --database-url
           finance=URL), else the replay refuses (exit 2) unless --without-policy-book, which skips those
           checks and says so on its first line
--heads - (verify, seal-heads, reseal) reads the heads file from stdin: kubectl exec -i … --heads - < heads.json.
${STORE_OPTIONS_HELP}
${LOCAL_DEFAULTS_HELP}
Exit 0 all good, 1 a break, mismatch or unreadable store, 2 invalid input. See docs/audit.md.`;

const COMMAND = {
  name: 'audit',
  usage: USAGE,
  options: {
    ...STORE_OPTIONS,
    heads: { type: 'string', only: ['verify', 'seal-heads', 'reseal'] },
    'seal-keys': { type: 'string', multiple: true, only: ['verify'] },
    'seal-key-file': { type: 'string', only: ['seal-heads', 'reseal'] },
    'retired-key': { type: 'string', only: ['reseal'] },
    out: { type: 'string', only: ['heads'] },
    'from-kafka': { type: 'boolean', only: ['heads'] },
    policy: { type: 'string', multiple: true, only: ['replay'] },
    'calendar-year': { type: 'string', multiple: true, only: ['replay'] },
    'without-policy-book': { type: 'boolean', only: ['replay'] },
  },
  actions: ['verify', 'replay', 'heads', 'seal-heads', 'reseal'],
} as const;

/** `--out -` and `--heads -`: the heads file on stdout or stdin (a pod's filesystem is read-only). */
const STDIO = '-';

/** Where `--heads -` reads from: the process's stdin, a test's stream in the unit tests. */
export interface AuditInput {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export async function run(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  input: AuditInput = { stdin: process.stdin },
): Promise<number> {
  return runCommand(COMMAND, args, async ({ values, action }) => {
    const locations = storesFromOptions(values);
    // heads --from-kafka names the stores by service only; its brokers say whether it uses the local stack.
    if (!(action === 'heads' && values['from-kafka'] === true)) announceLocalStores(values, locations);
    const heads = values.heads === undefined ? undefined : await readHeads(values.heads, input.stdin);
    if (action === 'verify') {
      const keys = sealKeysByStore(values['seal-keys'], locations);
      return printVerify(await verifyStores(locations, heads, keys), heads, keys);
    }
    if (action === 'seal-heads' || action === 'reseal') {
      const file = required(values['seal-key-file'], 'seal-key-file', "to seal: the store's service key");
      if (locations.length !== 1)
        throw new UsageError(
          `${action}: name one store (each service has its own key), not ${locations.length}`,
        );
      required(values.heads, 'heads', `to ${action}: the heads its seals may vouch for`);
      const known = heads!;
      if (action === 'seal-heads')
        return printSealed(await sealStoreHeads(locations[0]!, readSealer(file), known), known);
      const retired = required(values['retired-key'], 'retired-key', 'to reseal: the public key to retire');
      const retiredKeys = sealKeysByStore([retired], locations)!.get(locations[0]!.name)!;
      return printResealed(
        await resealStoreHeads(locations[0]!, readSealer(file), retiredKeys, known),
        known,
      );
    }
    if (action === 'heads')
      return await takeHeadsInto(
        required(values.out, 'out', 'to take heads: the file they are written to'),
        locations,
        values['from-kafka'] === true,
        values['database-url'],
        env,
      );
    const withoutPolicyBook = values['without-policy-book'] === true;
    if (!withoutPolicyBook && !locations.some((l) => l.name === POLICY_BOOK_STORE))
      throw new UsageError(
        `replay: which policy was in force on a decision's day is read from finance's store (the policy book), ` +
          `and the stores named here (${locations.map((l) => l.name).join(', ')}) leave it out: add it ` +
          `(--services …,finance, or --database-url finance=postgres://…), or give --without-policy-book ` +
          'to replay without the policy-in-force checks',
      );
    return printReplay(await replay(locations, values.policy, values['calendar-year'], withoutPolicyBook));
  });
}

/**
 * Heads of the stores, or of their copies on Kafka, into `file` (`-`: stdout); an unreachable store or
 * broker is a message, exit 1.
 */
async function takeHeadsInto(
  file: string,
  locations: StoreLocation[],
  fromKafka: boolean,
  databaseUrls: string[] | undefined,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (fromKafka && databaseUrls)
    throw new UsageError('--from-kafka: name the stores by service (--services), not --database-url');
  const config = fromKafka ? configFromEnv(kafkaConfigSpec, env) : undefined;
  // Taken before reading (a long read in production): a file that exists is refused at once.
  const fd = file === STDIO ? undefined : createHeadsFile(file);
  // With the heads on stdout, everything said about them goes to stderr.
  const say = fd === undefined ? note : out;
  let heads: HeadsFile;
  try {
    if (!config) heads = await takeHeads(locations);
    else {
      const topics = Object.fromEntries(
        locations.map((l) => [l.name, serviceTopic(l.name as ServiceName, config.KAFKA_TOPIC_PREFIX)]),
      );
      const kafka = kafkaOf('nqpf-audit', config);
      // The auditors' Kafka principal: read on the service topics, groups under <prefix>.audit.
      heads = await headsFromTopics(kafka, topics, `${config.KAFKA_TOPIC_PREFIX}.audit.replay.`);
      await replayCleanupsDone(); // its throwaway group deleted before the command exits
      (await emptyTopicWarnings(heads, topics, locations)).forEach((w) => say(`warning: ${w}`));
    }
  } catch (err) {
    if (fd !== undefined) {
      fs.closeSync(fd);
      fs.unlinkSync(file);
    }
    process.stderr.write(`nqpf audit: heads: ${(err as Error).message}\n`);
    return 1;
  }
  return writeHeads(heads, file, fd);
}

/** The heads file, created empty; 'wx': an earlier heads file is evidence, never overwritten. */
function createHeadsFile(file: string): number {
  try {
    return fs.openSync(file, 'wx');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(
      code === 'EEXIST'
        ? `--out: ${file} exists; a heads file is evidence and is never overwritten: choose another name`
        : `--out: cannot write ${file}: ${code}`,
    );
  }
}

/** The replay, with the policies and calendar years the command gives; one it cannot take is exit 2. */
async function replay(
  locations: StoreLocation[],
  policyFiles: string[] | undefined,
  calendarFiles: string[] | undefined,
  withoutPolicyBook: boolean,
): Promise<ReplayRun> {
  const extras = {
    policies: readJsonFiles('--policy', policyFiles),
    calendarYears: readJsonFiles('--calendar-year', calendarFiles),
    withoutPolicyBook,
  };
  try {
    return await replayStores(locations, extras);
  } catch (err) {
    if (!(err instanceof ReplayExtraError)) throw err;
    const [option, files] =
      err.extra === 'policies' ? ['--policy', policyFiles] : ['--calendar-year', calendarFiles];
    throw new UsageError(`${option} ${files?.[err.index] ?? ''}: ${err.message}`);
  }
}

function readJsonFiles(option: string, files: string[] | undefined): unknown[] {
  return (files ?? []).map((file) => readJsonFile(option, file));
}

function readText(option: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${option}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? ''}`);
  }
}

function readJsonFile(option: string, file: string): unknown {
  return parseJson(`${option} ${file}`, readText(option, file));
}

/** `source` names the input in the message: `--heads stdin`, `--policy p.json`. */
function parseJson(source: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${source}: not valid JSON (${(err as Error).message})`);
  }
}

/** The heads file `file` names; `-`: the one on stdin. */
export async function readHeads(file: string, stdin: AuditInput['stdin']): Promise<HeadsFile> {
  const source = file === STDIO ? 'stdin' : file;
  const text = file === STDIO ? await readStdin(stdin) : readText('--heads', file);
  try {
    return parseHeadsFile(parseJson(`--heads ${source}`, text));
  } catch (err) {
    if (err instanceof HeadsFileError) throw new UsageError(`--heads ${source}: ${err.message}`);
    throw err;
  }
}

/** All of stdin; a terminal is refused (no one types a heads file, and it would wait unseen). */
async function readStdin(stdin: AuditInput['stdin']): Promise<string> {
  if (stdin.isTTY)
    throw new UsageError(
      '--heads -: give the heads file on stdin (kubectl exec -i … --heads - < heads.json)',
    );
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer | string));
  return Buffer.concat(chunks).toString('utf8');
}

function readSealer(file: string): EventSealer {
  try {
    return EventSealer.fromPem(readText('--seal-key-file', file), `--seal-key-file ${file}`);
  } catch (err) {
    if (err instanceof SealKeyError) throw new UsageError(err.message);
    throw err;
  }
}

function printSealed(
  { report, sealed }: Awaited<ReturnType<typeof sealStoreHeads>>,
  heads?: HeadsFile,
): number {
  const status = printVerify([report], heads);
  if (sealed === undefined) {
    out(`seal-heads: ${report.store} NOT sealed: its events do not verify`);
    return 1;
  }
  out(`seal-heads: ${report.store}: ${sealed.sealed} stream heads sealed`);
  for (const r of sealed.refused)
    out(`  NOT SEALED stream ${r.streamId} version ${r.streamVersion}: ${r.detail}: investigate`);
  return sealed.refused.length > 0 ? 1 : status;
}

function printResealed(
  { report, resealed }: Awaited<ReturnType<typeof resealStoreHeads>>,
  heads: HeadsFile,
): number {
  const status = printVerify([report], heads);
  if (resealed === undefined) {
    out(`reseal: ${report.store} NOT re-sealed: it does not verify against the heads`);
    return 1;
  }
  out(`reseal: ${report.store}: ${resealed.resealed} stream heads re-sealed`);
  for (const r of resealed.refused)
    out(`  NOT RE-SEALED stream ${r.streamId} version ${r.streamVersion}: ${r.detail}`);
  return resealed.refused.length > 0 ? 1 : status;
}

/** The heads into the file `fd` holds open, or (`fd` undefined, `--out -`) to stdout, the rest to stderr. */
function writeHeads(heads: HeadsFile, file: string, fd: number | undefined): number {
  const text = `${JSON.stringify(heads, null, 1)}\n`;
  if (fd === undefined) {
    process.stdout.write(text);
  } else {
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  const say = fd === undefined ? note : out;
  const streams = Object.values(heads.stores).reduce((n, s) => n + Object.keys(s).length, 0);
  const stores = Object.keys(heads.stores).length;
  const digest = createHash('sha256').update(text).digest('hex');
  say(
    `heads: ${streams} streams in ${stores} stores as of ${heads.takenAt}, written to ${fd === undefined ? 'stdout' : file}`,
  );
  say(`sha256 ${digest}: keep the file outside the databases and this line in a register`);
  return 0;
}

function printVerify(
  reports: StoreVerifyReport[],
  heads?: HeadsFile,
  keys?: ReadonlyMap<string, SealKeys>,
): number {
  const listed = (k: SealKeys) => `${k.ids.length} key${k.ids.length === 1 ? '' : 's'}: ${k.ids.join(', ')}`;
  const distinct = new Set(keys?.values());
  if (!keys) out('seals not checked (no --seal-keys): events added to a database without a service key pass');
  else if (distinct.size === 1) out(`seals checked against ${listed([...distinct][0]!)}`);
  else for (const [store, k] of keys) out(`seals of ${store} checked against ${listed(k)}`);
  if (heads) {
    out(`against the stream heads taken at ${heads.takenAt}`);
    const verified = new Set(reports.map((r) => r.store));
    for (const store of Object.keys(heads.stores).filter((s) => !verified.has(s)))
      out(`warning: the heads file has store ${store}, which was not verified`);
    // No heads for a store with events (heads from an empty topic, say): its tail goes unchecked.
    for (const r of reports.filter((r) => !r.error && r.knownHeads === 0 && r.checked > 0))
      out(
        `warning: the heads file holds no streams of store ${r.store}, which has events: ` +
          'checked by its chains alone, without tail protection',
      );
  }
  for (const r of reports) {
    const checked = `${r.checked} events checked${heads ? `, ${r.knownHeads} known heads` : ''}`;
    if (r.error) out(`${r.store}: ERROR ${r.error}`);
    else if (r.ok) out(`${r.store}: ${checked}, ok`);
    else {
      const breaks = r.broken ?? [r.firstBroken!];
      const streams = r.brokenStreams ?? breaks.length;
      out(`${r.store}: ${checked}, BROKEN in ${streams} stream${streams === 1 ? '' : 's'}`);
      for (const b of breaks)
        out(
          `  BROKEN at stream ${b.streamId} version ${b.streamVersion} ` +
            `event ${b.eventId || '(removed)'}: ${b.problem} (${b.detail})`,
        );
      if (streams > breaks.length) out(`  … and ${streams - breaks.length} more broken streams`);
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
  if (!run.policyInForceChecked)
    out(
      'policy in force NOT checked (--without-policy-book): a decision naming a superseded policy version passes',
    );
  run.warnings.forEach((w) => out(`warning: ${w}`));
  for (const s of run.stores) {
    if (s.error) {
      out(`${s.store}: ERROR ${s.error}`);
      continue;
    }
    out(
      `${s.store}: ${s.events} events, ${s.decisions} decisions, ${s.matches} match, ${s.mismatches.length} mismatch`,
    );
    // The stream (and the center, where it is another id) lead to the event in the trail and the store.
    for (const m of s.mismatches) {
      const center = m.centerId && m.centerId !== m.streamId ? ` (center ${m.centerId})` : '';
      out(
        `  MISMATCH event ${m.eventId} ${m.eventType} stream ${m.streamId}${center} ${m.field} rule ${m.rule}: ${m.reason}`,
      );
    }
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

/** A line about the output rather than of it: stderr, so `--out -` leaves stdout the heads alone. */
function note(line: string): void {
  process.stderr.write(`${line}\n`);
}
