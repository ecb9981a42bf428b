import type { Role } from '@nqpf/contracts';
import { ReplayGate } from './replay-gate';

/** A caller by its id; its role from the id's start (op-1 an operator, office-1 a district office). */
const as = (id: string) => ({
  id,
  role: (id.startsWith('op')
    ? 'operator'
    : id.startsWith('office')
      ? 'district_office'
      : 'city_bureau') as Role,
});

describe('ReplayGate', () => {
  it('lets `limit` replays run at once, refuses the next with 429, and frees a place when one ends', async () => {
    const gate = new ReplayGate({ AS_OF_CONCURRENCY: 2 });
    const releases: (() => void)[] = [];
    const hold = () => new Promise<void>((resolve) => releases.push(resolve));
    const first = gate.run(as('auditor-1'), hold);
    const second = gate.run(as('bureau-1'), hold);
    await expect(gate.run(as('bureau-2'), async () => 'third')).rejects.toMatchObject({ status: 429 });
    releases[0]!();
    await first;
    await expect(gate.run(as('bureau-2'), async () => 'after')).resolves.toBe('after');
    releases[1]!();
    await second;
  });

  it('frees the place of a replay that failed', async () => {
    const gate = new ReplayGate({ AS_OF_CONCURRENCY: 1 });
    await expect(gate.run(as('a'), async () => Promise.reject(new Error('broker gone')))).rejects.toThrow(
      'broker gone',
    );
    await expect(gate.run(as('a'), async () => 'next')).resolves.toBe('next');
  });

  it('runs one replay per caller: a script sending many cannot hold every place', async () => {
    const gate = new ReplayGate({ AS_OF_CONCURRENCY: 2 });
    let release!: () => void;
    const held = gate.run(as('op-1'), () => new Promise<void>((resolve) => (release = resolve)));
    await expect(gate.run(as('op-1'), async () => 'second')).rejects.toMatchObject({ status: 429 });
    await expect(gate.run(as('bureau-1'), async () => 'bureau')).resolves.toBe('bureau');
    release();
    await held;
    await expect(gate.run(as('op-1'), async () => 'later')).resolves.toBe('later');
  });

  it('keeps one place for the bureau, auditors and finance: operators and districts cannot take every one', async () => {
    const gate = new ReplayGate({ AS_OF_CONCURRENCY: 2 });
    let release!: () => void;
    const held = gate.run(as('op-1'), () => new Promise<void>((resolve) => (release = resolve)));
    await expect(gate.run(as('office-1'), async () => 'district')).rejects.toMatchObject({ status: 429 });
    await expect(gate.run(as('bureau-1'), async () => 'bureau')).resolves.toBe('bureau');
    release();
    await held;
    await expect(gate.run(as('office-1'), async () => 'now')).resolves.toBe('now');
    // With one place only, it is everyone's.
    await expect(new ReplayGate({ AS_OF_CONCURRENCY: 1 }).run(as('op-2'), async () => 'one')).resolves.toBe(
      'one',
    );
  });
});
