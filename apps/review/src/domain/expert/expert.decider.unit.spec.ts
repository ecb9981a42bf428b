import { creditCodeCheckChar } from '@nqpf/rules';
import { foldEvents, IllegalTransitionError, NotFoundError } from '@nqpf/domain';
import { ExpertCommand, expertDecider, ExpertEvent } from './expert.decider';

const AT = '2026-03-01T09:00:00+08:00';
const CODE = `91220101000000001${creditCodeCheckChar('91220101000000001')}`;

function given(events: ExpertEvent[]) {
  const state = foldEvents(expertDecider, events);
  return { state, when: (command: ExpertCommand) => expertDecider.decide(command, state) };
}

const register: ExpertCommand = {
  kind: 'register',
  expertId: 'e1',
  name: '李四',
  specialties: ['技术转移'],
  at: AT,
};
const declare = (institution: { name: string; creditCode?: string }): ExpertCommand => ({
  kind: 'declare-conflict',
  institution,
  reason: '曾任该单位顾问',
  at: AT,
});
const registered = () => given([]).when(register);

describe('expert decider (A9.1 conflicts)', () => {
  it('registers an expert', () => {
    expect(registered()).toEqual([
      {
        type: 'review.expert-registered',
        schemaVersion: 1,
        payload: { expertId: 'e1', name: '李四', specialties: ['技术转移'], registeredAt: AT },
      },
    ]);
  });

  it("refuses an id with spaces around it (its stream would be another expert's than the one recorded)", () => {
    expect(() => given([]).when({ ...register, expertId: ' e1' })).toThrow(
      'expertId: must not begin or end with spaces',
    );
  });

  it('refuses bidi controls in the names it records (an expert, an institution), naming the field', () => {
    expect(() => given([]).when({ ...register, name: '李\u202e四' })).toThrow(
      'name: must not contain bidirectional',
    );
    expect(() => given(registered()).when(declare({ name: 'Jilin \u2066University' }))).toThrow(
      'institution.name: must not contain bidirectional',
    );
  });

  it('refuses to register twice', () => {
    expect(() => given(registered()).when(register)).toThrow('cannot register expert when expert registered');
  });

  it('records a declared conflict with a normalised credit code', () => {
    const events = given(registered()).when(
      declare({ name: 'Jilin University', creditCode: ` ${CODE.toLowerCase()} ` }),
    );
    expect(events[0]).toMatchObject({
      type: 'review.expert-conflict-declared',
      payload: {
        expertId: 'e1',
        institution: { name: 'Jilin University', creditCode: CODE },
        reason: '曾任该单位顾问',
      },
    });
    expect(given([...registered(), ...events]).state).toMatchObject({
      conflicts: [{ name: 'Jilin University', creditCode: CODE }],
    });
  });

  it('refuses the same institution twice (by normalised name)', () => {
    const events = [...registered(), ...given(registered()).when(declare({ name: 'Jilin University' }))];
    expect(() => given(events).when(declare({ name: 'JILIN  university' }))).toThrow(IllegalTransitionError);
  });

  it('refuses a conflict for an expert not registered', () => {
    expect(() => given([]).when(declare({ name: 'X' }))).toThrow(NotFoundError);
  });

  it.each([
    ['institution.creditCode', { ...declare({ name: 'X', creditCode: '91220101000000000X' }) }],
    ['institution.name', declare({ name: '' })],
    ['reason', { ...declare({ name: 'X' }), reason: ' ' }],
  ])('names the bad field %s', (field, command) => {
    expect(() => given(registered()).when(command as ExpertCommand)).toThrow(
      expect.objectContaining({ field }),
    );
  });
});
