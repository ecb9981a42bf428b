import { spawn } from 'node:child_process';
import path from 'node:path';

/** Reads a child's stdout slowly, as a pipe into a file over `kubectl exec` may: a chunk, then a pause. */
function slowlyRead(script: string): Promise<{ bytes: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], {
      cwd: path.resolve(__dirname, '../../..'),
      env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 20);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ bytes, code }));
  });
}

describe('nqpf exits only once its output is written', () => {
  it('writes all of a large output into a slow pipe before it exits with the command’s code', async () => {
    const size = 1024 * 1024;
    const { bytes, code } = await slowlyRead(
      `process.stdout.write('x'.repeat(${size})); require('./apps/cli/src/main.ts').exitAfterOutput(3);`,
    );
    expect(code).toBe(3);
    expect(bytes).toBe(size);
  });
});
