import fs from 'node:fs';
import {
  bundledCalendar,
  CalendarRegistry,
  CalendarYearNotCoveredError,
  canonicalJson,
  decideAnnualSubsidy,
  decideEligibility,
  decideExpenditure,
  decideGrade,
  decideMajorChange,
  decideMaterials,
  decideOperatingDeadline,
  decideOperationStartDeclaration,
  decidePublicityEnd,
  decideYear1Subsidy,
  Decision,
  defaultPolicy,
  defaultPolicyRegistry,
  formatDecisionTable,
  Policy,
  replayDecision,
  ReplayContext,
  RuleInputError,
  UnknownCalendarVersionError,
  UnknownPolicyVersionError,
  validatePolicy,
} from '@nqpf/rules';
import { lackingDecisionFields, replayRecorded, type ReplayVerdict } from '@nqpf/audit';
import type { DecisionRecordV1 } from '@nqpf/contracts';
import { required, runCommand, type OptionValues } from '../options';
import { invalidInput, UsageError } from '../usage';

export const summary =
  'run a regulation decision (eligibility, materials, publicity end, subsidy, grade…) and print it';

const USAGE = `usage: nqpf rules <decision> [options] [--pretty] [--policy policy.json] [--calendar-year cn-YYYY.json …]
  eligibility       --file application.json (or JSON on stdin)            A6.1–A6.5
  materials         --file materials.json (or stdin)                       A8
  publicity-end     --date YYYY-MM-DD [--days N]                           A9.3
  subsidy year1     --approved-fen N                                       A12.2
  subsidy annual    --grade 优秀|良好|合格|不合格 [--support-year 2|3]     A12.3, A17.2
  grade             --score 0–100                                          A17.1
  expenditure       --file expenditure.json (or stdin)                     A13
  major-change      --file change.json (or stdin)                          A16
  operating-deadline --recognized YYYY-MM-DD [--started YYYY-MM-DD] [--as-of YYYY-MM-DD]   A17.3a
                    with --declared YYYY-MM-DD (and --started): is that start, declared that day, taken
  replay            --file decision.json: re-run a recorded decision; exit 1 if it differs or its rule
                    cannot re-run it (an altered decision). Its policy
                    and calendar years come from the build, --policy (one policy, or finance's GET /policies
                    answer) and --calendar-year files
Prints the decision as JSON (sorted keys), or a table with --pretty. Invalid input exits 2.
Examples: libs/rules/examples/.`;

const COMMAND = {
  name: 'rules',
  usage: USAGE,
  options: {
    file: { type: 'string' },
    date: { type: 'string' },
    days: { type: 'string' },
    'approved-fen': { type: 'string' },
    grade: { type: 'string' },
    'support-year': { type: 'string' },
    score: { type: 'string' },
    recognized: { type: 'string' },
    started: { type: 'string' },
    'as-of': { type: 'string' },
    declared: { type: 'string' },
    policy: { type: 'string' },
    'calendar-year': { type: 'string', multiple: true },
    pretty: { type: 'boolean' },
  },
  words: true,
} as const;

type Values = OptionValues<typeof COMMAND.options>;
/** The options that take one value. */
type ValueOption = Exclude<keyof Values, 'pretty' | 'calendar-year'>;

export async function run(args: string[]): Promise<number> {
  return runCommand(COMMAND, args, async ({ values, words }) => {
    if (words.length === 0) {
      process.stdout.write(`${USAGE}\n`);
      return 2;
    }
    try {
      return await decideAndPrint(words, values);
    } catch (err) {
      return refusedDecision(err);
    }
  });
}

async function decideAndPrint(words: string[], values: Values): Promise<number> {
  if (words[0] === 'replay') return printReplay(await readInput(values.file), values);
  const policy = values.policy ? validatePolicy(readJson(values.policy, '--policy')) : defaultPolicy;
  print(await decide(words, values, policy), values.pretty === true);
  return 0;
}

/** Input the rules refuse, or versions not given: exit 2 without the usage (the command line was right). */
function refusedDecision(err: unknown): number {
  if (err instanceof RuleInputError) return invalidInput('rules', err.message);
  if (err instanceof UnknownPolicyVersionError)
    return invalidInput(
      'rules',
      `${err.message}: give it with --policy (finance's GET /policies lists them)`,
    );
  if (err instanceof UnknownCalendarVersionError)
    return invalidInput('rules', `${err.message}: give its file with --calendar-year`);
  if (err instanceof CalendarYearNotCoveredError) {
    process.stderr.write(`nqpf rules: ${err.message}\n`);
    return 1;
  }
  throw err;
}

async function decide(
  positionals: string[],
  values: Values,
  policy: Policy,
): Promise<Decision<unknown, unknown>> {
  const [name, variant] = positionals;
  const str = (option: ValueOption) => values[option];
  const needed = (option: ValueOption) => required(str(option), option, `for ${name}`);
  const integer = (option: ValueOption, value: string) => {
    if (!/^\d+$/.test(value)) throw new UsageError(`--${option}: expected a whole number, got '${value}'`);
    return Number(value);
  };
  switch (name) {
    case 'eligibility':
      return decideEligibility(await readInput(str('file')), policy);
    case 'materials':
      return decideMaterials(await readInput(str('file')), policy);
    case 'expenditure':
      return decideExpenditure(await readInput(str('file')), policy);
    case 'major-change':
      return decideMajorChange(await readInput(str('file')), policy);
    case 'publicity-end': {
      const days = str('days');
      const calendar = bundledCalendar(
        (values['calendar-year'] ?? []).map((f) => readJson(f, '--calendar-year')),
      );
      return decidePublicityEnd(
        {
          publishedOn: needed('date'),
          workingDays: days === undefined ? undefined : integer('days', days),
        },
        policy,
        calendar,
      );
    }
    case 'grade':
      return decideGrade({ score: needed('score') }, policy);
    case 'operating-deadline': {
      const declaredOn = str('declared');
      return declaredOn === undefined
        ? decideOperatingDeadline(
            { recognizedOn: needed('recognized'), operationStartedOn: str('started'), asOf: str('as-of') },
            policy,
          )
        : decideOperationStartDeclaration(
            { recognizedOn: needed('recognized'), operationStartedOn: needed('started'), declaredOn },
            policy,
          );
    }
    case 'subsidy':
      if (variant === 'year1')
        return decideYear1Subsidy({ approvedCostsFen: needed('approved-fen') }, policy);
      if (variant === 'annual') {
        const year = str('support-year');
        return decideAnnualSubsidy(
          {
            supportYear: year === undefined ? 2 : integer('support-year', year),
            previousYearGrade: needed('grade'),
          },
          policy,
        );
      }
      throw new UsageError(`subsidy: expected 'year1' or 'annual', got '${variant ?? ''}'`);
    default:
      throw new UsageError(`unknown decision '${name}'`);
  }
}

function printReplay(input: unknown, values: Values): number {
  const recorded = input as Decision<unknown, unknown>;
  if (recorded === null || typeof recorded !== 'object' || typeof recorded.rule !== 'string')
    throw new UsageError('replay: the file does not hold a recorded decision');
  const context = replayContext(values);
  // The same words as `nqpf audit replay`: which fields differ, or that this build lacks the rule-set.
  const verdict = replayAndPrint(recorded, context, values.pretty === true);
  process.stderr.write(
    verdict.match ? 'replay: identical\n' : `replay: DIFFERS from the recorded decision: ${verdict.reason}\n`,
  );
  return verdict.match ? 0 : 1;
}

/**
 * Prints the re-run and compares it. A recorded decision its rule cannot re-run (parts missing, inputs
 * the rule refuses, a rule no build knows) was altered: it differs (1), it is no mistake in the command.
 * A policy or calendar version the command was not given stops it (2): the command lacks a file.
 */
function replayAndPrint(
  recorded: Decision<unknown, unknown>,
  context: ReplayContext,
  pretty: boolean,
): ReplayVerdict {
  const lacks = lackingDecisionFields(recorded);
  if (lacks.length > 0)
    return { match: false, reason: `not a whole decision record (lacks ${lacks.join(', ')})` };
  let replayed: Decision<unknown, unknown>;
  try {
    replayed = replayDecision(recorded, context);
  } catch (err) {
    if (err instanceof UnknownPolicyVersionError || err instanceof UnknownCalendarVersionError) throw err;
    return { match: false, reason: `cannot replay: ${(err as Error).message}` };
  }
  print(replayed, pretty);
  return replayRecorded(recorded as DecisionRecordV1, context);
}

/** The build's policies and calendar years, and those the command names (a recorded decision names its own). */
function replayContext(values: Values): ReplayContext {
  const policies = defaultPolicyRegistry();
  const policyFile = values.policy;
  if (policyFile) {
    const given = readJson(policyFile, '--policy');
    (Array.isArray(given) ? given : [given]).forEach((p) => policies.register(p));
  }
  const calendars = new CalendarRegistry();
  for (const file of values['calendar-year'] ?? []) calendars.register(readJson(file, '--calendar-year'));
  return { policies, calendars };
}

function print(decision: Decision<unknown, unknown>, pretty: boolean): void {
  const text = pretty
    ? formatDecisionTable(decision)
    : JSON.stringify(JSON.parse(canonicalJson(decision)), null, 2);
  process.stdout.write(`${text}\n`);
}

async function readInput(file: string | undefined): Promise<unknown> {
  if (file !== undefined) return readJson(file, '--file');
  if (process.stdin.isTTY) throw new UsageError('give --file <input.json> or JSON on stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return parseJson(Buffer.concat(chunks).toString('utf8'), 'stdin');
}

function readJson(file: string, option: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `${option}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseJson(text, `${option} ${file}`);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source}: not valid JSON (${(err as Error).message})`);
  }
}
