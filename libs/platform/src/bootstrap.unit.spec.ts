import { exitAfterGrace } from './bootstrap';

describe('exitAfterGrace', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('exits non-zero once the grace period after SIGTERM has passed, naming the variable', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const disarm = exitAfterGrace(10_000, 'review');
    process.emit('SIGTERM');
    jest.advanceTimersByTime(9_999);
    expect(exit).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(stderr).toHaveBeenCalledWith(
      'review: still shutting down after 10000 ms (SHUTDOWN_GRACE_MS); exiting\n',
    );
    disarm();
  });

  it('does nothing without a signal', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const disarm = exitAfterGrace(1_000, 'review');
    jest.advanceTimersByTime(60_000);
    expect(exit).not.toHaveBeenCalled();
    disarm();
  });
});
