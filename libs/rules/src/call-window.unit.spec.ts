import { callTakesSubmissionsOn } from './call-window';

describe('A7: a call takes submissions inside its window, both ends included, while open', () => {
  const call = { status: 'open' as const, opensOn: '2026-03-01', closesOn: '2026-04-30' };

  it.each([
    ['2026-02-28', false],
    ['2026-03-01', true],
    ['2026-04-30', true],
    ['2026-05-01', false],
  ])('on %s: %s', (today, takes) => {
    expect(callTakesSubmissionsOn(call, today)).toBe(takes);
  });

  it('takes none once the bureau closed it, inside the window too', () => {
    expect(callTakesSubmissionsOn({ ...call, status: 'closed' }, '2026-03-15')).toBe(false);
  });
});
