import { IllegalTransitionError, NotFoundError } from '@nqpf/domain';
import { activityCount } from './obligations.decider';
import { ObligationsCommand } from './obligations.types';
import { CENTER, fieldOf, given, history, open, policy, policyOn } from './obligations.spec-helper';

const HASH = 'a'.repeat(64);
const activity = (activityId: string, heldOn: string, patch: Partial<Record<string, unknown>> = {}) =>
  ({
    kind: 'log-activity',
    activityId,
    type: 'roadshow',
    heldOn,
    title: '新材料项目路演',
    participants: 40,
    evidenceHash: HASH,
    today: '2027-12-31',
    ...patch,
  }) as ObligationsCommand;

describe('obligations: activities log (A6.5)', () => {
  const opened = history(open('2026-03-10'));

  it('logs an activity with its evidence hash and the running count of its year', () => {
    const [logged] = given(opened).when(activity('a1', '2026-05-20'));
    expect(logged).toEqual({
      type: 'reporting.activity-logged',
      schemaVersion: 1,
      payload: {
        centerId: expect.any(String),
        activityId: 'a1',
        type: 'roadshow',
        heldOn: '2026-05-20',
        title: '新材料项目路演',
        participants: 40,
        evidenceHash: HASH,
        yearCount: 1,
      },
    });
  });

  it('counts activities per calendar year', () => {
    const events = history(
      open('2026-03-10'),
      activity('a1', '2026-05-20'),
      activity('a2', '2026-12-31', { type: 'matchmaking' }),
      activity('a3', '2027-01-01', { type: 'visit' }),
    );
    const state = given(events).state;
    expect(activityCount(state, 2026)).toBe(2);
    expect(activityCount(state, 2027)).toBe(1);
    expect(activityCount(state, 2028)).toBe(0);
    expect(events.at(-1)!.payload).toMatchObject({ yearCount: 1 });
  });

  it('refuses the same activity (same day, same title) logged again: 409 naming the first, count unchanged', () => {
    const logged = history(open('2026-03-10'), activity('a1', '2026-05-20'));
    // A retried POST without Idempotency-Key gets a new id from the service; the activity is the same.
    const again = () => given(logged).when(activity('a2', '2026-05-20', { participants: 41 }));
    expect(again).toThrow(IllegalTransitionError);
    expect(again).toThrow(/activity a1 .*2026-05-20.*新材料项目路演/);
    expect(activityCount(given(logged).state, 2026)).toBe(1);
  });

  it('takes a title that differs only in spacing or full-width forms as the same', () => {
    const logged = history(open('2026-03-10'), activity('a1', '2026-05-20', { title: '路演(第一场) A' }));
    expect(() =>
      given(logged).when(activity('a2', '2026-05-20', { title: '  路演（第一场）  Ａ ' })),
    ).toThrow(IllegalTransitionError);
  });

  it('counts another activity on the same day, or the same title on another day', () => {
    const events = history(
      open('2026-03-10'),
      activity('a1', '2026-05-20'),
      activity('a2', '2026-05-20', { title: '生物医药项目路演' }),
      activity('a3', '2026-05-21'),
    );
    expect(activityCount(given(events).state, 2026)).toBe(3);
    expect(events.at(-1)!.payload).toMatchObject({ yearCount: 3 });
  });

  it.each([
    ['type', { type: 'party' }],
    ['evidenceHash', { evidenceHash: 'not-a-hash' }],
    ['participants', { participants: -1 }],
    ['title', { title: '' }],
    ['heldOn', { heldOn: '2026-03-09' }],
    ['heldOn', { heldOn: '2028-01-01' }],
    ['activityId', { activityId: '' }],
  ])('names the bad field %s', (field, patch) => {
    expect(fieldOf(() => given(opened).when(activity('a9', '2026-05-20', patch)))).toBe(field);
  });

  it('names the article of a date it refuses', () => {
    expect(() => given(opened).when(activity('a9', '2026-03-09'))).toThrow(
      'A6.5: must not be before the recognition date',
    );
  });

  describe('withdrawal', () => {
    const withdraw = (activityId: string, reason = '与路演重复登记'): ObligationsCommand => ({
      kind: 'withdraw-activity',
      activityId,
      reason,
      today: '2027-01-05',
    });
    const logged = history(
      open('2026-03-10'),
      activity('a1', '2026-05-20'),
      activity('a2', '2026-05-21', { title: '路演（重复）' }),
    );

    it("takes an activity out of its year's count with the written reason; the same activity may be logged again", () => {
      const [withdrawn] = given(logged).when(withdraw('a2'));
      expect(withdrawn).toEqual({
        type: 'reporting.activity-withdrawn',
        schemaVersion: 1,
        payload: {
          centerId: expect.any(String),
          activityId: 'a2',
          heldOn: '2026-05-21',
          reason: '与路演重复登记',
          withdrawnOn: '2027-01-05',
          yearCount: 1,
        },
      });
      const after = [...logged, withdrawn!];
      expect(activityCount(given(after).state, 2026)).toBe(1);
      const [again] = given(after).when(activity('a3', '2026-05-21', { title: '路演（重复）' }));
      expect(again!.payload).toMatchObject({ activityId: 'a3', yearCount: 2 });
    });

    it('answers 404 for an activity never logged or withdrawn already, and names a missing reason', () => {
      const after = [...logged, ...given(logged).when(withdraw('a2'))];
      for (const id of ['a2', 'a9', 'constructor'])
        expect(() => given(after).when(withdraw(id))).toThrow(NotFoundError);
      expect(fieldOf(() => given(logged).when(withdraw('a1', '')))).toBe('reason');
    });

    it('refuses a withdrawal once the center is revoked (409)', () => {
      const ended = [
        ...logged,
        ...given(logged).when({
          kind: 'end-obligations',
          centerId: CENTER,
          endedOn: '2026-08-01',
          ruleId: 'A16',
          reason: '不再符合条件',
          policy,
          policyOn,
        }),
      ];
      expect(() => given(ended).when(withdraw('a1'))).toThrow(IllegalTransitionError);
    });
  });
});
