import { DEFAULT_DISTRICT_UNITS, DistrictUnitsError, parseDistrictUnits } from './district-units';

describe('parseDistrictUnits (NQPF_DISTRICT_UNITS)', () => {
  it.each([undefined, ''])('takes the units RULES names when the variable is %p', (value) => {
    expect(parseDistrictUnits(value)).toEqual([...DEFAULT_DISTRICT_UNITS]);
  });

  it('takes a comma-separated list, trimmed, blanks dropped', () => {
    expect(parseDistrictUnits(' 南关区, 长春国际汽车城 ,')).toEqual(['南关区', '长春国际汽车城']);
  });

  it.each([
    [' , ', 'NQPF_DISTRICT_UNITS must name at least one unit'],
    ['南关区,朝阳区, 南关区', 'NQPF_DISTRICT_UNITS names 南关区 more than once'],
    ['南关区,南关区,南关区,朝阳区,朝阳区', 'NQPF_DISTRICT_UNITS names 南关区, 朝阳区 more than once'],
  ])('refuses %p', (value, message) => {
    expect(() => parseDistrictUnits(value)).toThrow(new DistrictUnitsError(message));
  });
});
