import { accountOpened, reviewStory } from './center-story.fixture';
import { reduceStanding } from './standing.reducer';
import { emptyStanding } from './standing.row';
import { toStandingView } from './standing.view';

const C = 'center-1';
const recognised = (date: string) => reviewStory(C, '朝阳区', date).reduce(reduceStanding, emptyStanding(C));

describe('standing view', () => {
  it('counts days to the two-year operating deadline inclusively (case 11: 2026-03-10 → 2028-03-10)', () => {
    const row = recognised('2026-03-10');
    expect(toStandingView(row, '2026-03-10').operatingDeadline).toBe('2028-03-10');
    expect(toStandingView(row, '2028-03-09').daysLeftToOperatingDeadline).toBe(1);
    expect(toStandingView(row, '2028-03-10').daysLeftToOperatingDeadline).toBe(0);
    expect(toStandingView(row, '2028-03-11').daysLeftToOperatingDeadline).toBe(-1);
  });

  it('takes the last day of February when the recognition day does not recur', () => {
    expect(toStandingView(recognised('2028-02-29'), '2028-03-01').operatingDeadline).toBe('2030-02-28');
  });

  it('stops counting once operation started', () => {
    const row = { ...recognised('2026-03-10'), operationStartedOn: '2026-09-01' };
    expect(toStandingView(row, '2026-10-01').daysLeftToOperatingDeadline).toBeNull();
  });

  it('shows the current support year from the account, then support ended', () => {
    const row = reduceStanding(recognised('2026-03-10'), accountOpened(C, '朝阳区', '2026-03-10'));
    expect(toStandingView(row, '2027-05-01').support).toEqual({ supportYear: 2 });
    expect(toStandingView(row, '2029-01-01').support).toBe('ended');
  });
});
