import { ReplayGate } from './replay-gate';

describe('ReplayGate', () => {
  it('lets `limit` replays run at once, refuses the next with 429, and frees a place when one ends', async () => {
    const gate = new ReplayGate({ AS_OF_CONCURRENCY: 2 });
    const releases: (() => void)[] = [];
    const hold = () => new Promise<void>((resolve) => releases.push(resolve));
    const first = gate.run('auditor-1', hold);
    const second = gate.run('bureau-1', hold);
    await expect(gate.run('bureau-2', async () => 'third')).rejects.toMatchObject({ status: 429 });
    releases[0]!();
    await first;
    await expect(gate.run('bureau-2', async () => 'after')).resolves.toBe('after');
    releases[1]!();
    await second;
  });

  it('frees the place of a replay that failed', async () => {
    const gate = new ReplayGate({ AS_OF_CONCURRENCY: 1 });
    await expect(gate.run('a', async () => Promise.reject(new Error('broker gone')))).rejects.toThrow(
      'broker gone',
    );
    await expect(gate.run('a', async () => 'next')).resolves.toBe('next');
  });

  it('runs one replay per caller: a script sending many cannot hold every place', async () => {
    const gate = new ReplayGate({ AS_OF_CONCURRENCY: 2 });
    let release!: () => void;
    const held = gate.run('op-1', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(gate.run('op-1', async () => 'second')).rejects.toMatchObject({ status: 429 });
    await expect(gate.run('bureau-1', async () => 'bureau')).resolves.toBe('bureau');
    release();
    await held;
    await expect(gate.run('op-1', async () => 'later')).resolves.toBe('later');
  });
});
