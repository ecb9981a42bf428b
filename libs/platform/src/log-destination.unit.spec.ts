import { spawnSync } from 'node:child_process';
import { repoRoot } from '@nqpf/testing';

/** What a process killed by SIGTERM right after logging leaves on a pipe (its stdout in a container). */
function linesLeftBy(logger: string): number {
  const script = `
    const pino = require('pino');
    const log = ${logger};
    for (let i = 0; i < 200; i++) log.info({ i }, 'line');
    process.kill(process.pid, 'SIGTERM');`;
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: repoRoot,
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json' },
    encoding: 'utf8',
  });
  return run.stdout.split('\n').filter((line) => line.includes('"msg":"line"')).length;
}

describe('the services log to a synchronous standard output', () => {
  // pino's default stream (pino()) loses all but the first line or so here.
  it('keeps every line written before a SIGTERM', () => {
    const ours = "pino({}, require('./libs/platform/src/log-destination').logDestination())";
    expect(linesLeftBy(ours)).toBe(200);
  });
});
