import { parseArgs, type ParseArgsConfig } from 'node:util';
import { invalidInput, UsageError } from './usage';

/** An option as node:util's parseArgs takes it; `only`: the actions it belongs to (another refuses it). */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { only?: readonly string[] };

type OptionSpecs = Record<string, OptionSpec>;

/** What the command line of `nqpf <name>` may hold. Every command also takes --help (-h). */
export interface CommandSpec<O extends OptionSpecs, A extends string> {
  /** `nqpf <name>`: the start of every error line. */
  name: string;
  /** Printed for --help (exit 0), and after every usage error (exit 2). */
  usage: string;
  options: O;
  /** The command's one word, naming what to do (`nqpf dlt list`). */
  actions?: readonly A[];
  /** Words the command reads itself (`nqpf rules subsidy annual`); without these or actions, none. */
  words?: true;
}

export type OptionValues<O extends OptionSpecs> = ReturnType<
  typeof parseArgs<{ options: O; strict: true }>
>['values'];

export type CommandLine<O extends OptionSpecs, A extends string> = {
  values: OptionValues<O>;
  words: string[];
} & ([A] extends [never] ? unknown : { action: A });

const HELP = { type: 'boolean', short: 'h' } as const;

/**
 * Reads the command line and runs `body` with it: --help prints the usage (exit 0) once the action and
 * options given beside it are known; a UsageError, from
 * reading or from `body`, prints `nqpf <name>: <message>` and the usage to stderr (exit 2).
 */
export async function runCommand<O extends OptionSpecs, A extends string = never>(
  spec: CommandSpec<O, A>,
  args: string[],
  body: (line: CommandLine<O, A>) => Promise<number>,
): Promise<number> {
  try {
    const line = readCommandLine(spec, args);
    if (line === 'help') {
      process.stdout.write(`${spec.usage}\n`);
      return 0;
    }
    return await body(line);
  } catch (err) {
    if (err instanceof UsageError) return invalidInput(spec.name, err.message, spec.usage);
    throw err;
  }
}

/** The value of an option the command cannot do without; missing or empty, a UsageError. */
export function required<T extends string | readonly string[]>(
  value: T | undefined,
  option: string,
  why = '',
): T {
  if (value === undefined || value.length === 0)
    throw new UsageError(`--${option} is required${why && ` ${why}`}`);
  return value;
}

function readCommandLine<O extends OptionSpecs, A extends string>(
  spec: CommandSpec<O, A>,
  args: string[],
): CommandLine<O, A> | 'help' {
  const { values, positionals, tokens } = parsed(spec, args);
  // `--help` alone is the usage; after words they are checked first, so a misspelt action says so.
  if (values.help && positionals.length === 0) return 'help';
  const action = spec.actions && actionOf(positionals, spec.actions);
  refuseMisplaced(spec.options, tokens, action);
  if (values.help) return 'help';
  // parseArgs typed these values for the options it was given: those of the spec (and --help).
  return { values, words: positionals, action } as unknown as CommandLine<O, A>;
}

/** node:util's parseArgs, its own errors (an unknown option, a missing value) as UsageError. */
function parsed(spec: CommandSpec<OptionSpecs, string>, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...spec.options, help: HELP },
      strict: true,
      allowPositionals: spec.actions !== undefined || spec.words === true,
      tokens: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function actionOf<A extends string>(words: string[], actions: readonly A[]): A {
  const [action, ...extra] = words;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (!action) throw new UsageError(`give ${oneOf(actions)}`);
  if (!(actions as readonly string[]).includes(action)) throw new UsageError(`unknown action '${action}'`);
  return action as A;
}

/** An option given with an action it is not for (OptionSpec.only); tokens, as a default is not given. */
function refuseMisplaced(
  options: OptionSpecs,
  tokens: { kind: string; name?: string }[],
  action: string | undefined,
): void {
  for (const token of tokens) {
    const only = token.kind === 'option' ? options[token.name!]?.only : undefined;
    if (only && !only.includes(action ?? ''))
      throw new UsageError(`--${token.name}: only for ${oneOf(only)}`);
  }
}

/** `a`, `a or b`, `a, b or c`. */
function oneOf(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
