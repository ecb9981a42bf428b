import { factsOn, mergeFacts } from './art6-facts';

describe('art. 6 facts after major changes (A16)', () => {
  const recognized = {
    premises: { buildingAreaM2: '5200.00' },
    team: { staffInPost: 10, brokers: { junior: 2, intermediate: 3, senior: 2 } },
    services: ['technology_trading', 'legal_services'],
  };

  it('changes only the fields a group gives; a list or a value given replaces the old one', () => {
    expect(
      mergeFacts(recognized, { team: { brokers: { senior: 4 } }, services: ['legal_services'] }),
    ).toEqual({
      premises: { buildingAreaM2: '5200.00' },
      team: { staffInPost: 10, brokers: { junior: 2, intermediate: 3, senior: 4 } },
      services: ['legal_services'],
    });
    expect(mergeFacts(null, { premises: { buildingAreaM2: '100.00' } })).toEqual({
      premises: { buildingAreaM2: '100.00' },
    });
  });

  it('keeps a key named __proto__ a plain field', () => {
    const merged = mergeFacts(recognized, JSON.parse('{"__proto__":{"x":1}}'));
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toContain('__proto__');
  });

  it('takes the changes effective by a day, in the order they took effect', () => {
    const changes = [
      { effectiveOn: '2026-06-01', newFacts: { premises: { buildingAreaM2: '5600.00' } } },
      { effectiveOn: '2026-05-01', newFacts: { premises: { buildingAreaM2: '4000.00' } } },
    ];
    expect(factsOn(recognized, changes, '2026-04-30')).toBe(recognized);
    expect(factsOn(recognized, changes, '2026-05-01')!.premises).toEqual({ buildingAreaM2: '4000.00' });
    expect(factsOn(recognized, changes)!.premises).toEqual({ buildingAreaM2: '5600.00' });
  });
});
