import { ReplayGate } from './replay-gate';

describe('ReplayGate', () => {
  it('lets `limit` replays run at once, refuses the next with 429, and frees a place when one ends', async () => {
    const gate = new ReplayGate({ AS_OF_CONCURRENCY: 2 });
    const releases: (() => void)[] = [];
    const hold = () => new Promise<void>((resolve) => releases.push(resolve));
    const first = gate.run(hold);
    const second = gate.run(hold);
    await expect(gate.run(async () => 'third')).rejects.toMatchObject({ status: 429 });
    releases[0]!();
    await first;
    await expect(gate.run(async () => 'after')).resolves.toBe('after');
    releases[1]!();
    await second;
  });

  it('frees the place of a replay that failed', async () => {
    const gate = new ReplayGate({ AS_OF_CONCURRENCY: 1 });
    await expect(gate.run(async () => Promise.reject(new Error('broker gone')))).rejects.toThrow(
      'broker gone',
    );
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });
});
