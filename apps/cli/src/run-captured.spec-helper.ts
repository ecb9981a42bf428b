import type { Command } from './main';

/**
 * Runs a command as the CLI would, capturing what it prints: `output` both streams as they came, `stdout`
 * and `stderr` each alone (what a shell redirect of one of them would get).
 */
export async function runCaptured(
  command: Pick<Command, 'run'>,
  args: string[],
): Promise<{ code: number; output: string; stdout: string; stderr: string }> {
  const lines: string[] = [];
  const streams = { stdout: '', stderr: '' };
  const capture = (stream: keyof typeof streams) => (chunk: unknown) => {
    lines.push(String(chunk));
    streams[stream] += String(chunk);
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture('stdout'));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture('stderr'));
  try {
    return { code: await command.run(args), output: lines.join(''), ...streams };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
