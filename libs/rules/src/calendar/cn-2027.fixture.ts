/**
 * Test data for "a year published after the release": NOT the State Council's 2027 arrangements (not
 * published when this was written), hence the version 'cn-2027.test'.
 */
export const TEST_CALENDAR_2027 = {
  country: 'CN',
  year: 2027,
  version: 'cn-2027.test',
  source: 'test fixture, not the published arrangements',
  holidays: [{ date: '2027-01-01', name: '元旦' }],
  adjustedWorkingDays: [{ date: '2027-01-02', name: '元旦' }],
};
