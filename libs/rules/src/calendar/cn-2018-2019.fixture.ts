/**
 * Test data for a notice that rearranges the end of the year before: the State Council's 2019 notice
 * (国办发明电〔2018〕15号) made Saturday 2018-12-29 a working day and 2018-12-30/31 holidays (元旦 30 Dec – 1 Jan).
 * Only the New Year entries the tests need, hence the versions '.test': not the whole published years.
 */
export const TEST_CALENDAR_2018 = {
  country: 'CN',
  year: 2018,
  version: 'cn-2018.test',
  source: 'test fixture: the New Year entry of the 2018 notice only',
  holidays: [{ date: '2018-01-01', name: '元旦', nameEn: "New Year's Day" }],
  adjustedWorkingDays: [],
};

export const TEST_CALENDAR_2019 = {
  country: 'CN',
  year: 2019,
  version: 'cn-2019.test',
  source: 'test fixture: the New Year entries of the 2019 notice (国办发明电〔2018〕15号) only',
  holidays: [
    { date: '2018-12-30', name: '元旦', nameEn: "New Year's Day" },
    { date: '2018-12-31', name: '元旦', nameEn: "New Year's Day" },
    { date: '2019-01-01', name: '元旦', nameEn: "New Year's Day" },
  ],
  adjustedWorkingDays: [{ date: '2018-12-29', name: '元旦', nameEn: "New Year's Day" }],
};
