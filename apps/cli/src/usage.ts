/** Bad command-line input: the command prints it with its usage and exits 2 (options.ts runCommand). */
export class UsageError extends Error {}

/** Prints `nqpf <command>: <message>` (and the usage, when given) to stderr; returns exit code 2. */
export function invalidInput(command: string, message: string, usage?: string): 2 {
  process.stderr.write(`nqpf ${command}: ${message}\n${usage === undefined ? '' : `${usage}\n`}`);
  return 2;
}
