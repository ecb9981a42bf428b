import type { Command } from './main';

/** Runs a command as the CLI would, capturing what it prints on stdout and stderr. */
export async function runCaptured(
  command: Pick<Command, 'run'>,
  args: string[],
): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    return { code: await command.run(args), output: lines.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
