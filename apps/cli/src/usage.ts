import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad command-line input: the command prints it with its usage and exits 2. */
export class UsageError extends Error {}

/** node:util's parseArgs, its own errors (an unknown option, a missing value) as UsageError. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Prints `nqpf <command>: <message>` (and the usage, when given) to stderr; returns exit code 2. */
export function invalidInput(command: string, message: string, usage?: string): 2 {
  process.stderr.write(`nqpf ${command}: ${message}\n${usage === undefined ? '' : `${usage}\n`}`);
  return 2;
}
