import { conflictsOfInterest } from './conflict-of-interest';
import { defaultPolicy } from './policy/policy-registry';
import { quartersOwed } from './reporting-deadlines';
import { supportYearCalendarYear, supportYearOf } from './support-years';

describe('support years (A12.1)', () => {
  it.each([
    [2025, null],
    [2026, 1],
    [2027, 2],
    [2028, 3],
    [2029, null],
  ])('calendar year %i is support year %p of a center recognised in 2026', (year, n) => {
    expect(supportYearOf('2026-03-10', year, defaultPolicy)).toBe(n);
  });

  it('maps support year n to recognition year + n − 1', () => {
    expect(supportYearCalendarYear('2026-12-31', 3)).toBe(2028);
  });
});

describe('quarters owed a report (A14)', () => {
  it('starts with the quarter of recognition and lists only ended quarters', () => {
    expect(quartersOwed('2026-03-10', '2026-03-31')).toEqual([]);
    expect(quartersOwed('2026-03-10', '2026-04-01')).toEqual([{ year: 2026, quarter: 1 }]);
    expect(quartersOwed('2026-11-20', '2027-07-02')).toEqual([
      { year: 2026, quarter: 4 },
      { year: 2027, quarter: 1 },
      { year: 2027, quarter: 2 },
    ]);
  });
});

describe('conflicts of interest (A9.1)', () => {
  const parties = [{ name: '吉林大学', creditCode: '122200004123456787' }, { name: '长春理工大学' }];

  it('matches one institution as A6.3 counts them: the same credit code or the same normalised name', () => {
    expect(
      conflictsOfInterest([{ name: 'Jilin University', creditCode: '122200004123456787' }], parties),
    ).toEqual(['吉林大学']);
    expect(conflictsOfInterest([{ name: ' 长春理工 大学' }], parties)).toEqual(['长春理工大学']);
    // A6.3 counts 吉林大学 under two codes as one institution, so the conflict holds too.
    expect(conflictsOfInterest([{ name: '吉林大学', creditCode: '91220101MA14ABCD0Y' }], parties)).toEqual([
      '吉林大学',
    ]);
    expect(
      conflictsOfInterest([{ name: '东北师范大学', creditCode: '91220101MA14ABCD0Y' }], parties),
    ).toEqual([]);
    expect(conflictsOfInterest([], parties)).toEqual([]);
  });
});
