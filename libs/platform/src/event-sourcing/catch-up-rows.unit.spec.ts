import { Decider, UnknownEventTypeError, UnknownSchemaVersionError } from '@nqpf/domain';
import type { AggregateRepository } from './aggregate.repository';
import { catchUpStreamRows } from './catch-up-rows';

describe('catchUpStreamRows', () => {
  const decider = {} as Decider<never, never, string>;
  const stale = [
    { streamId: 'thing-a', lastChangedAt: '2026-01-01T00:00:00.000Z' },
    { streamId: 'thing-new', lastChangedAt: '2026-01-02T00:00:00.000Z' },
    { streamId: 'thing-b', lastChangedAt: '2026-01-03T00:00:00.000Z' },
  ];
  const repositoryFailing = (failure: (streamId: string) => Error | null) =>
    ({
      load: async (_decider: unknown, streamId: string) => {
        const err = failure(streamId);
        if (err) throw err;
        return { state: `state of ${streamId}`, version: 3 };
      },
    }) as unknown as AggregateRepository;
  const logger = () => ({ log: jest.fn(), error: jest.fn() });

  it("writes each stream's row with its last change's time, leaving one of a newer release's type to a newer replica", async () => {
    const written: unknown[] = [];
    const log = logger();
    await catchUpStreamRows({
      repository: repositoryFailing((id) =>
        id === 'thing-new' ? new UnknownEventTypeError(id, 2, 'thing.noted') : null,
      ),
      decider,
      stale,
      write: async (...row) => void written.push(row),
      logger: log,
      row: 'thing',
    });
    expect(written).toEqual([
      ['state of thing-a', 3, '2026-01-01T00:00:00.000Z'],
      ['state of thing-b', 3, '2026-01-03T00:00:00.000Z'],
    ]);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0][0]).toMatch(/^thing row not caught up: stream thing-new .* thing\.noted/);
    expect(log.log).toHaveBeenCalledWith('caught up 3 thing rows');
  });

  it('leaves one holding a schema version of a known type this replica does not know to a newer replica alike', async () => {
    const written: unknown[] = [];
    const log = logger();
    await catchUpStreamRows({
      repository: repositoryFailing((id) =>
        id === 'thing-new' ? new UnknownSchemaVersionError(id, 2, 'thing.counted', 99) : null,
      ),
      decider,
      stale,
      write: async (...row) => void written.push(row),
      logger: log,
      row: 'thing',
    });
    expect(written).toHaveLength(2);
    expect(log.error.mock.calls[0][0]).toMatch(
      /^thing row not caught up: stream thing-new .* thing\.counted at schema version 99/,
    );
  });

  it('stops the start on any other failure', async () => {
    const write = jest.fn();
    await expect(
      catchUpStreamRows({
        repository: repositoryFailing(() => new Error('connection refused')),
        decider,
        stale,
        write,
        logger: logger(),
        row: 'thing',
      }),
    ).rejects.toThrow('connection refused');
    expect(write).not.toHaveBeenCalled();
  });

  it('says nothing when no row is behind', async () => {
    const log = logger();
    await catchUpStreamRows({
      repository: repositoryFailing(() => null),
      decider,
      stale: [],
      write: jest.fn(),
      logger: log,
      row: 'thing',
    });
    expect(log.log).not.toHaveBeenCalled();
  });
});
