import { type Actor, type EventEnvelope, ReviewEventTypes as T } from '@nqpf/contracts';
import { objectionsAsShownTo, objectionsOf } from './objection-view';

const PUBLIC: Actor = { id: 'public', role: 'public' };
const BUREAU: Actor = { id: 'bureau-1', role: 'city_bureau' };

function event(type: string, payload: object, actor: Actor = BUREAU): EventEnvelope {
  return { type, payload, actor } as EventEnvelope;
}
const raised = (objectionId: string, raisedAt: string, extra: object = {}) =>
  event(
    T.ObjectionRaised,
    {
      applicationId: 'app-1',
      objectionId,
      objector: { name: '张三', contact: '13800000000' },
      content: `异议${objectionId}`,
      raisedAt,
      admissibility: {},
      ...extra,
    },
    PUBLIC,
  );

describe('objections as recorded in the stream and as each reader may read them (A9.4)', () => {
  const events = [
    event(T.PublicityStarted, { applicationId: 'app-1' }),
    raised('o1', '2026-07-06T15:30:00.000Z'),
    raised('o2', '2026-07-06T16:10:00.000Z'),
    raised('o3', '2026-07-07T01:00:00.000Z', { letter: { reference: '收〔2026〕1号', enteredAt: 'x' } }),
    event(T.ObjectionInvestigationStarted, { objectionId: 'o2', startedAt: '2026-07-08T02:00:00.000Z' }),
    event(T.ObjectionInvestigationStarted, { objectionId: 'o3', startedAt: 'i', note: '核查' }),
    event(T.ObjectionUpheld, { objectionId: 'o3', ruledAt: '2026-07-08T03:00:00.000Z', reason: '属实' }),
    event(T.ApplicationRejected, { stage: 'objection' }),
  ];

  it('folds each objection from its raising through investigation to its ruling, in the order raised', () => {
    const records = objectionsOf(events);
    expect(records.map((o) => [o.objectionId, o.status])).toEqual([
      ['o1', 'raised'],
      ['o2', 'investigating'],
      ['o3', 'upheld'],
    ]);
    expect(records[0]).toMatchObject({
      receivedAt: '2026-07-06T15:30:00.000Z',
      objector: { name: '张三', contact: '13800000000' },
      content: '异议o1',
      sentBy: { id: 'public', role: 'public' },
      letter: null,
      investigation: null,
      ruling: null,
    });
    expect(records[1].investigation).toEqual({ startedAt: '2026-07-08T02:00:00.000Z', note: null });
    expect(records[2]).toMatchObject({
      letter: { reference: '收〔2026〕1号', enteredAt: 'x' },
      investigation: { startedAt: 'i', note: '核查' },
      ruling: { upheld: true, reason: '属实', ruledAt: '2026-07-08T03:00:00.000Z' },
    });
  });

  it('counts the days pending in Asia/Shanghai days while an objection awaits its ruling', () => {
    const shown = objectionsAsShownTo(BUREAU, objectionsOf(events), '2026-07-09');
    // o2 came in at 00:10 on 7 July in Changchun (16:10 UTC on the 6th).
    expect(shown.map((o) => [o.receivedOn, o.pendingDays])).toEqual([
      ['2026-07-06', 3],
      ['2026-07-07', 2],
      ['2026-07-07', null],
    ]);
    expect(objectionsAsShownTo(BUREAU, objectionsOf(events), '2026-07-06')[0].pendingDays).toBe(0);
  });

  it('withholds who objected, who sent it, what they wrote, its letter and the note from all but the bureau and auditors', () => {
    const records = objectionsOf(events);
    const auditor: Actor = { id: 'a-1', role: 'auditor' };
    expect(objectionsAsShownTo(auditor, records, '2026-07-09')).toEqual(
      objectionsAsShownTo(BUREAU, records, '2026-07-09'),
    );
    const others: Actor[] = [
      { id: 'op-1', role: 'operator', centerId: 'app-1' },
      { id: 'nanguan-1', role: 'district_office', district: '南关区' },
      { id: 'e-1', role: 'expert' },
    ];
    for (const actor of others) {
      const [o1, o2, o3] = objectionsAsShownTo(actor, records, '2026-07-09');
      expect(o1).toMatchObject({
        objector: { name: '(withheld)', contact: '(withheld)' },
        content: '(withheld)',
        sentBy: { id: '(withheld)', role: '(withheld)' },
        letter: null,
        receivedOn: '2026-07-06',
        pendingDays: 3,
      });
      // No note is no note; the day an investigation started and the ruling with its reason are shown.
      expect(o2.investigation).toEqual({ startedAt: '2026-07-08T02:00:00.000Z', note: null });
      expect(o3).toMatchObject({
        letter: { reference: '(withheld)', enteredAt: '(withheld)' },
        investigation: { startedAt: 'i', note: '(withheld)' },
        ruling: { upheld: true, reason: '属实' },
      });
    }
  });

  it('lists a letter A9.4 refused as refused, with why, never pending; who and what withheld as for any objection', () => {
    const refused = event(T.ObjectionRefused, {
      applicationId: 'app-1',
      objectionId: 'o4',
      objector: { name: '王五' },
      content: '场地不符',
      receivedAt: '2026-07-10T01:00:00.000Z',
      letter: { reference: '收〔2026〕2号', enteredAt: '2026-07-11T01:00:00.000Z' },
      admissibility: {
        rule: 'objection-admissible',
        outcome: { admissible: false, failed: ['A9.4:inPeriod', 'A9.4:contact'] },
        reasons: [
          { ruleId: 'A9.4', criterion: 'inPeriod', passed: false, message: { zh: '不在', en: 'outside' } },
          { ruleId: 'A9.4', criterion: 'realName', passed: true, message: { zh: '署名', en: 'named' } },
          { ruleId: 'A9.4', criterion: 'contact', passed: false, message: { zh: '无', en: 'no contact' } },
        ],
      },
    });
    const records = objectionsOf([...events, refused]);
    expect(records.at(-1)).toEqual({
      objectionId: 'o4',
      status: 'refused',
      receivedAt: '2026-07-10T01:00:00.000Z',
      objector: { name: '王五', contact: null },
      content: '场地不符',
      sentBy: { id: 'bureau-1', role: 'city_bureau' },
      letter: { reference: '收〔2026〕2号', enteredAt: '2026-07-11T01:00:00.000Z' },
      investigation: null,
      ruling: null,
      refusal: {
        rule: 'A9.4',
        failed: ['A9.4:inPeriod', 'A9.4:contact'],
        reasons: [
          { criterion: 'inPeriod', message: 'outside' },
          { criterion: 'contact', message: 'no contact' },
        ],
      },
    });
    expect(objectionsAsShownTo(BUREAU, records, '2026-07-12').at(-1)).toMatchObject({ pendingDays: null });
    const operator: Actor = { id: 'op-1', role: 'operator', centerId: 'app-1' };
    expect(objectionsAsShownTo(operator, records, '2026-07-12').at(-1)).toMatchObject({
      status: 'refused',
      objector: { name: '(withheld)', contact: '(withheld)' },
      content: '(withheld)',
      sentBy: { id: '(withheld)', role: '(withheld)' },
      letter: { reference: '(withheld)', enteredAt: '(withheld)' },
      refusal: { rule: 'A9.4', failed: ['A9.4:inPeriod', 'A9.4:contact'] },
      pendingDays: null,
    });
  });
});
