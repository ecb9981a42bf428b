import type { ReadModelRebuild } from '../../../registry/src/rebuild/rebuild-read-models';
import { RebuildDependencies, run } from './rebuild';

const result = (matches: boolean, swapped: boolean): ReadModelRebuild => ({
  readModel: 'standing',
  liveChecksum: 'a'.repeat(32),
  rebuiltChecksum: (matches ? 'a' : 'b').repeat(32),
  matches,
  swapped,
  records: 10,
  applied: 9,
  rejected: 1,
});

function fake(results: ReadModelRebuild[]) {
  const calls: Parameters<RebuildDependencies['rebuild']>[0][] = [];
  const deps: RebuildDependencies = {
    rebuild: async (options) => {
      calls.push(options);
      return results;
    },
  };
  return { deps, calls };
}

describe('nqpf rebuild', () => {
  let out: string;
  beforeEach(() => {
    out = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  it('prints live and rebuilt checksums and exits 0 after a swap', async () => {
    const { deps, calls } = fake([result(true, true)]);
    expect(await run([], { KAFKA_TOPIC_PREFIX: 'env1' }, deps)).toBe(0);
    expect(calls).toEqual([{ topicPrefix: 'env1', verifyOnly: false, only: undefined }]);
    expect(out).toContain(`live ${'a'.repeat(32)} rebuilt ${'a'.repeat(32)} equal; swapped in`);
  });

  it('says there was no live model (a new or restored database) rather than DIFFERENT, and exits 0', async () => {
    const fresh = { ...result(false, true), liveChecksum: null };
    expect(await run([], {}, fake([fresh]).deps)).toBe(0);
    expect(out).toContain(`live (none) rebuilt ${'b'.repeat(32)} no live model; swapped in`);
    expect(out).not.toContain('DIFFERENT');
  });

  it('exits 1 with --verify-only when the rebuilt checksum differs from the live one', async () => {
    const { deps, calls } = fake([result(false, false)]);
    expect(await run(['--verify-only', '--read-model', 'standing'], {}, deps)).toBe(1);
    expect(calls[0]).toEqual({ topicPrefix: 'nqpf', verifyOnly: true, only: ['standing'] });
    expect(out).toContain('DIFFERENT');
  });

  it('exits 0 with --verify-only when they are equal', async () => {
    expect(await run(['--verify-only'], {}, fake([result(true, false)]).deps)).toBe(0);
  });

  it('rejects an unknown read model and (outside development) a missing database URL with exit 2, naming the field', async () => {
    expect(await run(['--read-model', 'audit'], {}, fake([]).deps)).toBe(2);
    expect(out).toContain('--read-model');
    expect(await run([], { KAFKA_BROKERS: 'h:1', NODE_ENV: 'production' })).toBe(2);
    expect(out).toContain('DATABASE_URL');
  });

  it('exits 1 when the rebuild itself fails (e.g. one already running)', async () => {
    const deps: RebuildDependencies = {
      rebuild: async () => {
        throw new Error('projection standing: a rebuild is already running');
      },
    };
    expect(await run([], {}, deps)).toBe(1);
    expect(out).toContain('already running');
  });
});
