import fs from 'node:fs';
import path from 'node:path';

/**
 * `nqpf <command> …`: each command group is one module in ./commands exporting
 * `run(args: string[]): Promise<number>` and `summary: string`; adding a file adds a command.
 * Exit codes: 0 success, 1 failure (e.g. a mismatch found), 2 invalid input.
 */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

function available(): string[] {
  const dir = path.join(__dirname, 'commands');
  return (
    fs
      .readdirSync(dir)
      // .ts from the sources (bin/nqpf.js), .js when compiled (deploy/docker/compile.js, in the images).
      .filter((f) => /\.(ts|js)$/.test(f) && !/\.(spec|d)\.ts$/.test(f))
      .map((f) => f.replace(/\.(ts|js)$/, ''))
      .sort()
  );
}

async function load(name: string): Promise<Command> {
  return (await import(path.join(__dirname, 'commands', name))) as Command;
}

async function usage(): Promise<string> {
  const lines = ['usage: nqpf <command> [options]', '', 'commands:'];
  for (const name of available()) lines.push(`  ${name.padEnd(10)} ${(await load(name)).summary}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${await usage()}\n`);
    return name ? 0 : 2;
  }
  if (!available().includes(name)) {
    process.stderr.write(`nqpf: unknown command '${name}'\n${await usage()}\n`);
    return 2;
  }
  return (await load(name)).run(rest);
}

/**
 * Ends the process with `code` once its output is written. Output to a pipe (`kubectl exec … --out - >
 * heads.json`) is written asynchronously: exiting at once would drop what the reader has not taken yet (all
 * past the pipe's 64 KiB). A write's callback runs once everything queued before it is written. The clients
 * a command leaves open (Kafka, PostgreSQL pools) would keep the process alive, hence the exit.
 */
export function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

// Compiled, the images run `node dist/apps/cli/src/main.js <command> …` (no bin script, no TypeScript hook).
if (require.main === module) void main(process.argv.slice(2)).then(exitAfterOutput);
