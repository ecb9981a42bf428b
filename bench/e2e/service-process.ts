// Runs one service as its own node process (as deploy/local/services.sh does), so the bench loop and the
// services do not share a JavaScript thread.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export interface ServiceProcess {
  port: number;
  pid: number;
  /** SIGTERM (SIGKILL after 10 s); resolves with the exit code, or the signal that ended the process. */
  close(): Promise<number | NodeJS.Signals>;
}

export interface ServiceProcessOptions {
  /** Run the compiled tree here (deploy/docker/compile.js) as the images do, not the TypeScript sources. */
  compiledDir?: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}): ${output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`service on :${port} not healthy in 180 s: ${output()}`);
}

export async function startServiceProcess(
  service: string,
  env: Record<string, string>,
  { compiledDir }: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  // e.g. BENCH_E2E_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the services.
  const nodeArgs = (process.env.BENCH_E2E_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const entry = compiledDir
    ? ['--enable-source-maps', path.join(compiledDir, `apps/${service}/src/main.js`)]
    : ['-r', '@swc-node/register', `apps/${service}/src/main.ts`];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: root,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(root, 'tsconfig.json'),
      // A compiled tree outside the checkout finds the checkout's packages, as /app/node_modules in the image.
      ...(compiledDir ? { NODE_PATH: path.join(root, 'node_modules') } : {}),
      PORT: String(port),
      SERVICE: service,
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | NodeJS.Signals>((r) =>
    child.once('exit', (code, signal) => r(code ?? signal!)),
  );
  try {
    await waitHealthy(port, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    port,
    pid: child.pid!,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode!;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
