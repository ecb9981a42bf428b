import { foldEvents } from '@nqpf/domain';
import { obligationsDecider } from '../domain/obligations/obligations.decider';
import { CENTER, history, open } from '../domain/obligations/obligations.spec-helper';
import type {
  ObligationsCommand,
  ObligationsEvent,
  OpenObligations,
} from '../domain/obligations/obligations.types';
import { activitiesView } from './activities.view';

const HASH = 'a'.repeat(64);
const log = (activityId: string, heldOn: string, title = '新材料项目路演'): ObligationsCommand => ({
  kind: 'log-activity',
  activityId,
  type: 'roadshow',
  heldOn,
  title,
  participants: 40,
  evidenceHash: HASH,
  today: '2027-12-31',
});
const withdraw = (activityId: string): ObligationsCommand => ({
  kind: 'withdraw-activity',
  activityId,
  reason: '重复登记',
  today: '2027-12-31',
});

/** As the store returns them: each event with the instant it occurred, the i-th at minute i. */
const minute = (i: number) => new Date(Date.UTC(2027, 0, 1, 0, i)).toISOString();
const stored = (events: ObligationsEvent[]) => events.map((e, i) => ({ ...e, occurredAt: minute(i) }));
/** The instant `stored` gives the event that logged an activity. */
const loggedAt = (events: ObligationsEvent[], activityId: string) =>
  minute(
    events.findIndex((e) => e.type === 'reporting.activity-logged' && e.payload.activityId === activityId),
  );
const stateOf = (events: ObligationsEvent[]) => foldEvents(obligationsDecider, events) as OpenObligations;

describe("reporting's list of a center's activities (A6.5)", () => {
  // Logged out of order; a2 and a1 held on the same day; b1 withdrawn.
  const events = history(
    open('2026-03-10'),
    log('c1', '2026-11-03', '技术合同对接会'),
    log('a2', '2026-05-20', '企业走访'),
    log('a1', '2026-05-20'),
    log('b1', '2026-06-01', '与路演重复'),
    log('d1', '2027-02-01', '新年路演'),
    withdraw('b1'),
  );

  it('lists the activities still counted by heldOn then activityId, as logged and when, and the withdrawn apart with why', () => {
    const view = activitiesView(CENTER, null, stored(events), events.length);
    expect(view.activities.map((a) => a.activityId)).toEqual(['a1', 'a2', 'c1', 'd1']);
    expect(view.activities[0]).toEqual({
      activityId: 'a1',
      type: 'roadshow',
      heldOn: '2026-05-20',
      title: '新材料项目路演',
      participants: 40,
      evidenceHash: HASH,
      loggedAt: loggedAt(events, 'a1'),
    });
    expect(view.withdrawn).toEqual([
      expect.objectContaining({
        activityId: 'b1',
        heldOn: '2026-06-01',
        title: '与路演重复',
        loggedAt: loggedAt(events, 'b1'),
        withdrawnOn: '2027-12-31',
        reason: '重复登记',
      }),
    ]);
    expect(view).toMatchObject({ centerId: CENTER, year: null, version: events.length });
  });

  it('counts each year as the obligations do, each count being the entries listed for the year', () => {
    const view = activitiesView(CENTER, null, stored(events), events.length);
    expect(view.activitiesByYear).toEqual(stateOf(events).activitiesByYear);
    expect(view.activitiesByYear).toEqual({ 2026: 3, 2027: 1 });
    for (const [year, count] of Object.entries(view.activitiesByYear))
      expect(view.activities.filter((a) => a.heldOn.startsWith(`${year}-`))).toHaveLength(count);
  });

  it('lists only the activities held in the year asked for, withdrawn ones included', () => {
    const in2026 = activitiesView(CENTER, 2026, stored(events), events.length);
    expect(in2026.activities.map((a) => a.activityId)).toEqual(['a1', 'a2', 'c1']);
    expect(in2026.withdrawn.map((a) => a.activityId)).toEqual(['b1']);
    expect(in2026.activitiesByYear).toEqual({ 2026: 3 });
    const in2027 = activitiesView(CENTER, 2027, stored(events), events.length);
    expect(in2027).toMatchObject({ year: 2027, activitiesByYear: { 2027: 1 }, withdrawn: [] });
    expect(in2027.activities.map((a) => a.activityId)).toEqual(['d1']);
    expect(activitiesView(CENTER, 2028, stored(events), events.length)).toMatchObject({
      activitiesByYear: {},
      activities: [],
      withdrawn: [],
    });
  });

  it('keeps a year whose only activity was withdrawn at 0, as the obligations show it', () => {
    const only = history(open('2026-03-10'), log('a1', '2026-05-20'), withdraw('a1'));
    const view = activitiesView(CENTER, null, stored(only), only.length);
    expect(view.activitiesByYear).toEqual(stateOf(only).activitiesByYear);
    expect(view).toMatchObject({ activitiesByYear: { 2026: 0 }, activities: [] });
    expect(view.withdrawn.map((a) => a.activityId)).toEqual(['a1']);
  });

  it('lists both records of an activity logged twice before keys were kept, as both are counted', () => {
    const logged = history(open('2026-03-10'), log('a1', '2026-05-20'));
    const first = logged.at(-1)!;
    const legacy = [
      ...logged,
      { ...first, payload: { ...first.payload, activityId: 'a2' } } as ObligationsEvent,
    ];
    const view = activitiesView(CENTER, 2026, stored(legacy), legacy.length);
    expect(view.activities.map((a) => a.activityId)).toEqual(['a1', 'a2']);
    expect(view.activitiesByYear).toEqual(stateOf(legacy).activitiesByYear);
  });
});
