import type { EventEnvelope } from '@nqpf/contracts';
import { Upcasters } from './upcasters';

const stored = (type: string, schemaVersion: number, payload: unknown): EventEnvelope =>
  ({ type, schemaVersion, payload, id: 'e1', hash: 'h' }) as EventEnvelope;

describe('Upcasters', () => {
  const upcasters = new Upcasters()
    .register<{ name: string }, { fullName: string }>({
      type: 'CenterRenamed',
      fromVersion: 1,
      upcast: (p) => ({ fullName: p.name }),
    })
    .register<{ fullName: string }, { fullName: string; shortName: null }>({
      type: 'CenterRenamed',
      fromVersion: 2,
      upcast: (p) => ({ ...p, shortName: null }),
    });

  it('chains steps up to the newest version', () => {
    const read = upcasters.apply(stored('CenterRenamed', 1, { name: 'A' }));
    expect(read.schemaVersion).toBe(3);
    expect(read.payload).toEqual({ fullName: 'A', shortName: null });
  });

  it('leaves current versions and other types alone', () => {
    const current = stored('CenterRenamed', 3, { fullName: 'A', shortName: 'a' });
    expect(upcasters.apply(current)).toBe(current);
    const other = stored('Other', 1, {});
    expect(upcasters.apply(other)).toBe(other);
  });

  it('never mutates the stored envelope', () => {
    const original = stored('CenterRenamed', 1, { name: 'A' });
    upcasters.apply(original);
    expect(original).toEqual(stored('CenterRenamed', 1, { name: 'A' }));
  });

  it('refuses a second upcaster for the same type and version', () => {
    expect(() => upcasters.register({ type: 'CenterRenamed', fromVersion: 1, upcast: (p) => p })).toThrow(
      'CenterRenamed@v1: an upcaster is already registered',
    );
  });
});
