import {
  foldEvents,
  IllegalTransitionError,
  InvalidInputError,
  NotFoundError,
  RuleViolationError,
} from '@nqpf/domain';
import type { CandidacyCommand } from './candidacy.commands';
import { candidacyDecider } from './candidacy.decider';
import type { CandidacyEvent } from './candidacy.events';
import {
  accepted,
  admissibilityOf,
  eligibilityOf,
  expert,
  INSTITUTION_CODES,
  OPERATOR,
  passingFacts,
  publicityFrom,
} from './candidacy.fixtures';
import { type Candidacy, phaseOf } from './candidacy.state';

function given(events: CandidacyEvent[]) {
  const state = foldEvents(candidacyDecider, events);
  return { state, when: (command: CandidacyCommand) => candidacyDecider.decide(command, state) };
}

function after(events: CandidacyEvent[], ...commands: CandidacyCommand[]): CandidacyEvent[] {
  return commands.reduce((all, command) => [...all, ...given(all).when(command)], events);
}

function failure(f: () => unknown): Error & Record<string, unknown> {
  try {
    f();
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected the command to be refused');
}

const AT = '2026-03-13T10:00:00+08:00';
const open = (facts = passingFacts()): CandidacyCommand => ({
  kind: 'open',
  accepted: accepted(facts),
  eligibilityDecision: eligibilityOf(facts),
  at: AT,
});
const assign = (
  id = 'e1',
  conflicts: { name: string; creditCode?: string }[] = [],
  at = AT,
): CandidacyCommand => ({
  kind: 'assign-expert',
  expert: expert(id, conflicts),
  at,
});
const review: CandidacyCommand = {
  kind: 'record-review',
  expert: expert('e1'),
  score: 88,
  opinion: '材料翔实',
  at: AT,
};
const inspect: CandidacyCommand = {
  kind: 'record-site-inspection',
  expert: expert('e1'),
  inspectedOn: '2026-03-13',
  satisfactory: true,
  finding: '场地与申报一致',
  at: AT,
};
const list: CandidacyCommand = {
  kind: 'decide-listing',
  listId: 'list-2026',
  listed: true,
  reason: '评审通过',
  at: AT,
  conflictedExpertIds: [],
};
const publish = (publishedOn = '2026-01-30'): CandidacyCommand => ({
  kind: 'start-publicity',
  publicityDecision: publicityFrom(publishedOn),
  at: `${publishedOn}T09:00:00+08:00`,
});
const objector = { name: '张三', contact: '13800000000' };
const object = (
  at: string,
  objectionId = 'o1',
  by: { name?: string | null; contact?: string | null } = objector,
  inWriting = true,
): CandidacyCommand => ({
  kind: 'raise-objection',
  objectionId,
  objector: by,
  content: '活动数量不实',
  admissibility: admissibilityOf(at, publicityFrom('2026-01-30'), by, inWriting),
  at,
});
const END = '2026-02-07T00:00:00+08:00';
const endPublicity: CandidacyCommand = { kind: 'end-publicity', at: END };
const sign = (party: 'bureau' | 'district', at = '2026-02-10T10:00:00+08:00'): CandidacyCommand => ({
  kind: 'sign-agreement',
  party,
  district: party === 'district' ? '南关区' : undefined,
  reason: '公示期满无异议',
  at,
  policyVersion: 'policy-2026.1',
});

const opened = () => given([]).when(open());
const reviewed = () => after(opened(), assign(), review, inspect);
const listed = () => after(reviewed(), list);
const inPublicity = () => after(listed(), publish());
const ended = () => after(inPublicity(), endPublicity);

describe('candidacy decider (A6, A9)', () => {
  describe('eligibility on acceptance (A6)', () => {
    it('opens an eligible candidacy with the libs/rules decision', () => {
      const events = opened();
      expect(events.map((e) => e.type)).toEqual(['review.candidacy-opened', 'review.eligibility-decided']);
      expect(events[1]!.payload).toMatchObject({
        eligible: true,
        decision: { rule: 'eligibility', policyVersion: expect.any(String), outcome: { eligible: true } },
      });
      expect(given(events).state.status).toBe('eligible');
    });

    it('rejects an ineligible application, listing every failing reason', () => {
      const facts = passingFacts();
      facts.premises.buildingAreaM2 = '4999.99';
      facts.team = { staffInPost: 9, brokers: { junior: 0, intermediate: 4, senior: 0 } };
      const events = given([]).when(open(facts));
      expect(events.map((e) => e.type)).toEqual([
        'review.candidacy-opened',
        'review.eligibility-decided',
        'review.application-rejected',
      ]);
      const rejected = events[2]!.payload as { ruleIds: string[]; reasons: string[]; stage: string };
      expect(rejected.stage).toBe('eligibility');
      expect(rejected.ruleIds).toEqual(['A6.1', 'A6.4']);
      expect(rejected.reasons).toHaveLength(3);
      expect(rejected.reasons[0]).toContain('4999.99');
      expect(rejected.reasons.join('\n')).toContain('4/9');
      expect(given(events).state).toMatchObject({
        status: 'rejected',
        rejection: { ruleIds: ['A6.1', 'A6.4'] },
      });
    });

    it('refuses to open twice', () => {
      expect(() => given(opened()).when(open())).toThrow('cannot open candidacy when candidacy eligible');
    });

    it('refuses a decision that is not the eligibility decision', () => {
      const wrong = {
        ...open(),
        eligibilityDecision: { ...eligibilityOf(passingFacts()), rule: 'materials' },
      };
      expect(failure(() => given([]).when(wrong as CandidacyCommand)).field).toBe('eligibilityDecision');
    });
  });

  describe('experts (A9.1)', () => {
    it('assigns an expert without conflicts', () => {
      expect(given(opened()).when(assign())).toEqual([
        {
          type: 'review.expert-assigned',
          schemaVersion: 1,
          payload: { applicationId: 'app-1', expertId: 'e1', assignedAt: AT },
        },
      ]);
    });

    it.each([
      ['an institution, by credit code', { name: 'Other name', creditCode: INSTITUTION_CODES[3]! }],
      ['an institution, by normalised name', { name: ' institution  5 ' }],
      ['the operating entity', { name: 'x', creditCode: OPERATOR.creditCode }],
    ])('refuses an expert who declared a conflict with %s', (_, conflict) => {
      const error = failure(() => given(opened()).when(assign('e1', [conflict])));
      expect(error).toBeInstanceOf(RuleViolationError);
      expect(error.rule).toBe('A9.1');
    });

    it('refuses an unregistered expert, naming the field', () => {
      const command = { kind: 'assign-expert', expert: { status: 'none' }, at: AT } as CandidacyCommand;
      expect(failure(() => given(opened()).when(command)).field).toBe('expertId');
    });

    it('refuses to assign the same expert twice', () => {
      expect(() => given(after(opened(), assign())).when(assign())).toThrow(IllegalTransitionError);
    });

    it('refuses an expert assigned before declaring a conflict under A9.1, naming it, not as assigned twice', () => {
      const error = failure(() =>
        given(after(opened(), assign())).when(assign('e1', [{ name: 'x', creditCode: OPERATOR.creditCode }])),
      );
      expect(error).toBeInstanceOf(RuleViolationError);
      expect(error.rule).toBe('A9.1');
      expect(error.message).toContain(`declared a conflict with ${OPERATOR.name}`);
      expect(error.message).toContain('after their assignment');
      // Never assigned: the same refusal, without the note.
      const fresh = failure(() =>
        given(opened()).when(assign('e1', [{ name: 'x', creditCode: OPERATOR.creditCode }])),
      );
      expect(fresh.message).not.toContain('after their assignment');
    });

    it('refuses to assign experts to a rejected application', () => {
      const facts = {
        ...passingFacts(),
        activities: { count: 99, periodFrom: '2025-03-01', periodTo: '2026-02-28' },
      };
      expect(() => given(given([]).when(open(facts))).when(assign())).toThrow(
        'cannot assign expert when candidacy rejected',
      );
    });

    it('unassigns an assigned expert with a reason, after which they may not review', () => {
      const events = after(opened(), assign(), {
        kind: 'unassign-expert',
        expertId: 'e1',
        reason: '回避',
        at: AT,
      });
      expect(events.at(-1)!.type).toBe('review.expert-unassigned');
      expect(() => given(events).when(review)).toThrow(new NotFoundError('candidacy'));
    });

    it('records a score and opinion from an assigned expert', () => {
      expect(given(after(opened(), assign())).when(review)[0]).toMatchObject({
        type: 'review.expert-review-recorded',
        payload: { expertId: 'e1', score: 88, opinion: '材料翔实' },
      });
    });

    it('answers an expert not assigned as if the candidacy did not exist, whatever its state', () => {
      expect(() => given(opened()).when(review)).toThrow(new NotFoundError('candidacy'));
      const byE9 = { ...review, expert: expert('e9') } as CandidacyCommand;
      expect(() => given(ended()).when(byE9)).toThrow(new NotFoundError('candidacy'));
    });

    it('refuses a review from an expert who declared a conflict after assignment', () => {
      const conflicted = { ...review, expert: expert('e1', [{ name: 'Institution 1' }]) } as CandidacyCommand;
      expect(() => given(after(opened(), assign())).when(conflicted)).toThrow(RuleViolationError);
    });

    it.each([0, 100])(
      "an expert's score of %i is recorded: scores run from 0 to 100 inclusive (A9.1)",
      (score) => {
        const command = { ...review, score } as CandidacyCommand;
        expect(given(after(opened(), assign())).when(command)[0]!.payload).toMatchObject({ score });
      },
    );

    it.each([
      ['score', { score: 101 }],
      ['score', { score: -1 }],
      ['score', { score: 7.5 }],
      ['opinion', { opinion: '' }],
    ])('names the bad field %s', (field, patch) => {
      const command = { ...review, ...patch } as CandidacyCommand;
      expect(failure(() => given(after(opened(), assign())).when(command)).field).toBe(field);
    });

    it('refuses a second review by the same expert', () => {
      expect(() => given(after(opened(), assign(), review)).when(review)).toThrow(IllegalTransitionError);
    });

    it('records a site-inspection finding, naming a bad date', () => {
      expect(given(after(opened(), assign())).when(inspect)[0]).toMatchObject({
        type: 'review.site-inspection-recorded',
        payload: { inspectedOn: '2026-03-13', satisfactory: true },
      });
      const bad = { ...inspect, inspectedOn: '2026-02-30' } as CandidacyCommand;
      expect(failure(() => given(after(opened(), assign())).when(bad)).field).toBe('inspectedOn');
    });
  });

  describe('the list (A9.2)', () => {
    it('lists a reviewed application', () => {
      expect(given(reviewed()).when(list)[0]).toMatchObject({
        type: 'review.candidacy-listed',
        payload: { listId: 'list-2026', reason: '评审通过' },
      });
      expect(phaseOf(given(reviewed()).state)).toBe('reviewed');
    });

    it('refuses to list an application without review and site inspection', () => {
      const error = failure(() => given(after(opened(), assign(), review)).when(list));
      expect(error.rule).toBe('A9.2');
      expect(error.message).toContain('missing a site inspection');
    });

    it('waits for every assigned expert: one review of two is not yet a reviewed application', () => {
      const byE2 = { ...review, expert: expert('e2') } as CandidacyCommand;
      const half = after(opened(), assign('e1'), assign('e2'), review, inspect);
      expect(failure(() => given(half).when(list)).message).toContain('missing a review by e2');
      const whole = [...half, ...given(half).when(byE2)];
      expect(
        given(whole)
          .when(list)
          .map((e) => e.type),
      ).toEqual(['review.candidacy-listed']);
    });

    it('counts no review of an expert since unassigned or who declared a conflict since', () => {
      const reviewed = after(opened(), assign('e1'), review, inspect);
      const unassigned = [
        ...reviewed,
        ...given(reviewed).when({
          kind: 'unassign-expert',
          expertId: 'e1',
          reason: '回避',
          at: AT,
        } as CandidacyCommand),
      ];
      expect(failure(() => given(unassigned).when(list)).message).toContain(
        'missing an assigned expert without a conflict, a site inspection',
      );
      const conflicted = { ...list, conflictedExpertIds: ['e1'] } as CandidacyCommand;
      expect(failure(() => given(reviewed).when(conflicted)).rule).toBe('A9.2');
      // Assigned again, their old review still does not count; they review anew.
      const back = after(unassigned, assign('e1'));
      expect(failure(() => given(back).when(list)).message).toContain('missing a review by e1');
      const reviewedAgain = after(back, { ...review, score: 60 } as CandidacyCommand, inspect);
      expect(
        given(reviewedAgain)
          .when(list)
          .map((e) => e.type),
      ).toEqual(['review.candidacy-listed']);
    });

    it('takes one site inspection per expert, never dated in the future or before the acceptance', () => {
      const inspected = after(opened(), assign('e1'), inspect);
      expect(() => given(inspected).when(inspect)).toThrow('site inspection by e1 already recorded');
      const ahead = { ...inspect, inspectedOn: '2026-03-14' } as CandidacyCommand;
      expect(failure(() => given(after(opened(), assign('e1'))).when(ahead)).field).toBe('inspectedOn');
      const before = { ...inspect, inspectedOn: '2001-01-01' } as CandidacyCommand;
      expect(failure(() => given(after(opened(), assign('e1'))).when(before)).message).toContain(
        'before the application was accepted',
      );
    });

    it("refuses a site inspection dated before the inspecting expert's assignment day, naming inspectedOn (A9.1)", () => {
      // Accepted 2026-03-12, e1 assigned 2026-03-20 (16:30Z on the 19th is already the 20th in Shanghai).
      const assigned = after(opened(), assign('e1', [], '2026-03-19T16:30:00Z'));
      const at = '2026-03-23T10:00:00+08:00';
      const early = { ...inspect, inspectedOn: '2026-03-19', at } as CandidacyCommand;
      const error = failure(() => given(assigned).when(early));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.field).toBe('inspectedOn');
      expect(error.message).toContain('A9.1');
      expect(error.message).toContain('2026-03-20');
      // On the assignment day itself, and after it: an inspection.
      for (const inspectedOn of ['2026-03-20', '2026-03-23'])
        expect(given(assigned).when({ ...inspect, inspectedOn, at } as CandidacyCommand)[0]).toMatchObject({
          type: 'review.site-inspection-recorded',
          payload: { expertId: 'e1', inspectedOn },
        });
    });

    it('dates a site inspection from the latest assignment: not while the expert was off the panel', () => {
      const unassign: CandidacyCommand = {
        kind: 'unassign-expert',
        expertId: 'e1',
        reason: '回避',
        at: '2026-03-14T10:00:00+08:00',
      };
      const back = after(opened(), assign('e1'), unassign, assign('e1', [], '2026-03-17T10:00:00+08:00'));
      const at = '2026-03-18T10:00:00+08:00';
      for (const inspectedOn of ['2026-03-13', '2026-03-15', '2026-03-16']) {
        const error = failure(() => given(back).when({ ...inspect, inspectedOn, at } as CandidacyCommand));
        expect(error).toMatchObject({ field: 'inspectedOn' });
        expect(error.message).toContain('assigned (2026-03-17');
      }
      expect(
        given(back).when({ ...inspect, inspectedOn: '2026-03-17', at } as CandidacyCommand),
      ).toHaveLength(1);
      // Derived from the events alone: the fold keeps the latest day of each expert assigned now.
      const other = after(back, assign('e2', [], '2026-03-18T09:00:00+08:00'));
      expect((given(other).state as Candidacy).assignedOn).toEqual({ e1: '2026-03-17', e2: '2026-03-18' });
      const e2Gone = after(other, { ...unassign, expertId: 'e2', at } as CandidacyCommand);
      expect((given(e2Gone).state as Candidacy).assignedOn).toEqual({ e1: '2026-03-17' });
    });

    it('leaves an application off the list, with a reason, for good', () => {
      const events = after(opened(), { ...list, listed: false, reason: '综合排名靠后' } as CandidacyCommand);
      expect(events.at(-1)!.type).toBe('review.candidacy-not-listed');
      expect(() => given(events).when(list)).toThrow('cannot decide listing when candidacy not-listed');
    });

    it('refuses to decide the listing twice', () => {
      expect(() => given(listed()).when(list)).toThrow('cannot decide listing when candidacy listed');
    });
  });

  describe('publicity (A9.3)', () => {
    it('publishes on Friday 2026-01-30 and ends 2026-02-06 24:00 with the calendar version recorded', () => {
      expect(given(listed()).when(publish())[0]).toMatchObject({
        type: 'review.publicity-started',
        payload: {
          publishedOn: '2026-01-30',
          lastDay: '2026-02-06',
          endsAt: END,
          calendarVersion: 'cn-2026.1',
          decision: { rule: 'publicity-end', outcome: { lastDay: '2026-02-06' } },
        },
      });
    });

    it('spans the Spring Festival: published 2026-02-13, ends 2026-02-27 (14 Feb is an adjusted working day)', () => {
      expect(given(listed()).when(publish('2026-02-13'))[0]).toMatchObject({
        payload: { lastDay: '2026-02-27', endsAt: '2026-02-28T00:00:00+08:00' },
      });
    });

    it('refuses publicity for an application not listed', () => {
      expect(() => given(reviewed()).when(publish())).toThrow(
        'cannot start publicity when candidacy eligible',
      );
    });

    it('refuses a decision without its calendar version', () => {
      const decision = { ...publicityFrom('2026-01-30'), calendarVersion: undefined };
      const command = {
        ...publish(),
        publicityDecision: decision,
      } as CandidacyCommand;
      expect(failure(() => given(listed()).when(command)).field).toBe('publicityDecision.calendarVersion');
    });

    it.each([
      ['the day before', '2026-01-31T09:00:00+08:00'],
      ['the week before, its period already over', '2026-02-09T09:00:00+08:00'],
      ['yesterday in Asia/Shanghai, though still today in UTC', '2026-01-30T16:30:00Z'],
    ])('refuses a publication dated %s, naming the field and A9.3', (_, at) => {
      const command = { ...publish('2026-01-30'), at } as CandidacyCommand;
      const error = failure(() => given(listed()).when(command));
      expect(error).toBeInstanceOf(RuleViolationError);
      expect(error).toMatchObject({
        rule: 'A9.3',
        details: expect.objectContaining({ field: 'publishedOn', publishedOn: '2026-01-30' }),
      });
    });

    it.each([
      ['today, in its last minute', '2026-01-30T23:59:00+08:00'],
      ['today in Asia/Shanghai, still the day before in UTC', '2026-01-29T16:30:00Z'],
      ['ahead of time', '2026-01-26T09:00:00+08:00'],
    ])('publishes on a day that is %s', (_, at) => {
      const command = { ...publish('2026-01-30'), at } as CandidacyCommand;
      expect(given(listed()).when(command)[0]!.payload).toMatchObject({
        publishedOn: '2026-01-30',
        startedAt: at,
      });
    });

    it('ends when the stored deadline fires, not a second earlier, and only once', () => {
      const early = failure(() =>
        given(inPublicity()).when({ kind: 'end-publicity', at: '2026-02-06T23:59:59+08:00' }),
      );
      expect(early.rule).toBe('A9.3');
      expect(given(inPublicity()).when(endPublicity)).toEqual([
        {
          type: 'review.publicity-ended',
          schemaVersion: 1,
          payload: { applicationId: 'app-1', lastDay: '2026-02-06', endedAt: END, pendingObjectionIds: [] },
        },
      ]);
      expect(given(ended()).when(endPublicity)).toEqual([]);
      expect(phaseOf(given(ended()).state)).toBe('publicity passed');
    });

    it('refuses to end a publicity that never started', () => {
      expect(() => given(listed()).when(endPublicity)).toThrow('cannot end publicity when candidacy listed');
    });
  });

  describe('objections (A9.4)', () => {
    it('answers an objection to an application never published as to one that does not exist', () => {
      for (const history of [[], opened(), reviewed(), listed()]) {
        const error = failure(() => given(history).when(object('2026-02-02T10:00:00+08:00')));
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error.message).toBe('application in publicity not found');
      }
    });

    it('accepts a named objection with contact in the last second of the period, with its decision', () => {
      expect(given(inPublicity()).when(object('2026-02-06T23:59:59+08:00'))[0]).toMatchObject({
        type: 'review.objection-raised',
        payload: {
          objectionId: 'o1',
          objector: { name: '张三', contact: '13800000000' },
          admissibility: { rule: 'objection-admissible', outcome: { admissible: true } },
        },
      });
    });

    it('refuses an objection the rules find inadmissible (not in writing)', () => {
      const error = failure(() =>
        given(inPublicity()).when(object('2026-02-02T10:00:00+08:00', 'o1', objector, false)),
      );
      expect(error).toMatchObject({
        rule: 'A9.4',
        details: expect.objectContaining({ failed: ['A9.4:inWriting'] }),
      });
    });

    it('refuses an admissibility decision taken for another moment', () => {
      const command = {
        ...object('2026-02-02T10:00:00+08:00'),
        at: '2026-02-03T10:00:00+08:00',
      } as CandidacyCommand;
      expect(failure(() => given(inPublicity()).when(command)).field).toBe('admissibility');
    });

    it.each([
      ['at the end instant', END],
      ['one second after the period, before the timer fired', '2026-02-07T00:00:01+08:00'],
      ['one second after the period, in UTC', '2026-02-06T16:00:01Z'],
    ])('refuses an objection %s', (_, at) => {
      const error = failure(() => given(inPublicity()).when(object(at)));
      expect(error.rule).toBe('A9.4');
      expect(error.message).toContain('ended 2026-02-06 24:00');
      expect(error.message).toMatch(/received 2026-02-07 00:00:0[01] Asia\/Shanghai$/);
    });

    it('records an objection received during the period though the timer ended publicity first; signing then waits for it', () => {
      const late = given(ended()).when(object('2026-02-06T23:59:59+08:00'));
      expect(late.map((e) => e.type)).toEqual(['review.objection-raised']);
      const events = [...ended(), ...late];
      expect(phaseOf(given(events).state)).toBe('objection pending');
      const halfSigned = after(ended(), sign('district'));
      expect(given(halfSigned).when(object('2026-02-06T23:59:59+08:00'))).toHaveLength(1);
    });

    const letter = (receivedAt: string, enteredAt: string): CandidacyCommand => ({
      ...(object(receivedAt) as Extract<CandidacyCommand, { kind: 'raise-objection' }>),
      letter: { reference: '长科收〔2026〕118号', enteredAt },
    });

    it('records a letter received in the last second, entered after the period, as raised at its receipt', () => {
      const events = given(ended()).when(letter('2026-02-06T23:59:59+08:00', '2026-02-09T09:00:00+08:00'));
      expect(events[0]).toMatchObject({
        type: 'review.objection-raised',
        payload: {
          raisedAt: '2026-02-06T23:59:59+08:00',
          letter: { reference: '长科收〔2026〕118号', enteredAt: '2026-02-09T09:00:00+08:00' },
          admissibility: {
            inputs: { receivedAt: '2026-02-06T23:59:59+08:00' },
            outcome: { admissible: true },
          },
        },
      });
      expect(given(inPublicity()).when(object('2026-02-02T10:00:00+08:00'))[0]!.payload).not.toHaveProperty(
        'letter',
      );
    });

    /** A letter received at `receivedAt` against the publicity of `publishedOn`, with the rules' decision. */
    const letterTo = (
      publishedOn: string,
      receivedAt: string,
      enteredAt: string,
      by: { name?: string | null; contact?: string | null } = objector,
      objectionId = 'o9',
      content = '场地与申报不符',
    ): CandidacyCommand => ({
      kind: 'raise-objection',
      objectionId,
      objector: by,
      content,
      admissibility: admissibilityOf(receivedAt, publicityFrom(publishedOn), by),
      at: receivedAt,
      letter: { reference: '长科收〔2026〕120号', enteredAt },
    });

    it("records a letter received after the period as refused, with the rules' decision, never open", () => {
      const refused = given(ended()).when(
        letterTo('2026-01-30', '2026-02-07T00:00:00+08:00', '2026-02-09T09:00:00+08:00'),
      );
      expect(refused).toEqual([
        {
          type: 'review.objection-refused',
          schemaVersion: 1,
          payload: {
            applicationId: 'app-1',
            objectionId: 'o9',
            objector: { name: '张三', contact: '13800000000' },
            content: '场地与申报不符',
            receivedAt: '2026-02-07T00:00:00+08:00',
            letter: { reference: '长科收〔2026〕120号', enteredAt: '2026-02-09T09:00:00+08:00' },
            admissibility: expect.objectContaining({
              rule: 'objection-admissible',
              inputs: expect.objectContaining({ receivedAt: '2026-02-07T00:00:00+08:00' }),
              outcome: { admissible: false, failed: ['A9.4:inPeriod'] },
            }),
          },
        },
      ]);
      const state = given([...ended(), ...refused]).state as Candidacy;
      expect(state.objections).toEqual({ o9: 'refused' });
      expect(phaseOf(state)).toBe('publicity passed');
      // Signing does not wait for it; nobody investigates or rules on it.
      expect(after([...ended(), ...refused], sign('bureau'), sign('district')).at(-1)!.type).toBe(
        'review.center-recognized',
      );
      for (const command of [
        { kind: 'investigate-objection', objectionId: 'o9', at: '2026-02-09T10:00:00+08:00' },
        {
          kind: 'rule-on-objection',
          objectionId: 'o9',
          upheld: false,
          reason: 'r',
          at: '2026-02-09T10:00:00+08:00',
        },
      ] as CandidacyCommand[])
        expect(failure(() => given([...ended(), ...refused]).when(command))).toMatchObject({
          status: 409,
          message: expect.stringContaining('objection o9 refused'),
        });
    });

    it('records a letter received before the publication day, and an anonymous one, as refused with every failing criterion', () => {
      const future = after(listed(), publish('2026-02-02'));
      const early = given(future).when(
        letterTo('2026-02-02', '2026-01-30T10:00:00+08:00', '2026-02-03T09:00:00+08:00'),
      );
      expect(early[0]).toMatchObject({
        type: 'review.objection-refused',
        payload: { admissibility: { outcome: { admissible: false, failed: ['A9.4:inPeriod'] } } },
      });
      const anonymous = given(inPublicity()).when(
        letterTo('2026-01-30', '2026-02-02T10:00:00+08:00', '2026-02-03T09:00:00+08:00', { name: ' ' }),
      );
      expect(anonymous[0]).toMatchObject({
        type: 'review.objection-refused',
        payload: {
          objector: {},
          admissibility: { outcome: { admissible: false, failed: ['A9.4:realName', 'A9.4:contact'] } },
        },
      });
      expect(phaseOf(given([...inPublicity(), ...anonymous]).state)).toBe('in publicity');
      // A name or contact of invisible characters is none: anonymous as well, not a 400.
      const invisible = given(inPublicity()).when(
        letterTo('2026-01-30', '2026-02-02T10:00:00+08:00', '2026-02-03T09:00:00+08:00', {
          name: '\u200b',
          contact: '\u202e\u200b',
        }),
      );
      expect(invisible[0]).toMatchObject({
        type: 'review.objection-refused',
        payload: {
          objector: {},
          admissibility: { outcome: { admissible: false, failed: ['A9.4:realName', 'A9.4:contact'] } },
        },
      });
      const lateAndNoContact = given(ended()).when(
        letterTo('2026-01-30', '2026-02-08T10:00:00+08:00', '2026-02-09T09:00:00+08:00', { name: '张三' }),
      );
      expect(lateAndNoContact[0]!.payload).toMatchObject({
        objector: { name: '张三' },
        admissibility: { outcome: { failed: ['A9.4:inPeriod', 'A9.4:contact'] } },
      });
    });

    it('records a refused letter after recognition too: the letter was received', () => {
      const recognised = after(ended(), sign('bureau'), sign('district'));
      const refused = given(recognised).when(
        letterTo('2026-01-30', '2026-02-08T10:00:00+08:00', '2026-02-11T09:00:00+08:00'),
      );
      expect(refused.map((e) => e.type)).toEqual(['review.objection-refused']);
      expect(given([...recognised, ...refused]).state.status).toBe('recognized');
    });

    it('records the same letter once: the same id, the same letter again, or an objection already raised is a 409', () => {
      const late = letterTo('2026-01-30', '2026-02-07T09:00:00+08:00', '2026-02-09T09:00:00+08:00');
      const events = after(ended(), late);
      expect(() => given(events).when(late)).toThrow(
        'cannot record refused objection when objection o9 refused',
      );
      const again = letterTo(
        '2026-01-30',
        '2026-02-07T09:00:00+08:00',
        '2026-02-10T09:00:00+08:00',
        objector,
        'o10',
      );
      expect(failure(() => given(events).when(again))).toMatchObject({
        status: 409,
        message: expect.stringContaining('the same letter (objector, content and receipt) refused as o9'),
      });
      // Another letter of the same text received another time is another letter.
      const another = letterTo(
        '2026-01-30',
        '2026-02-08T09:00:00+08:00',
        '2026-02-10T09:00:00+08:00',
        objector,
        'o11',
      );
      expect(
        given(events)
          .when(another)
          .map((e) => e.type),
      ).toEqual(['review.objection-refused']);
      // The same objection, already raised in time, is that objection.
      const raised = after(inPublicity(), object('2026-02-02T10:00:00+08:00'), endPublicity);
      const copy = letterTo(
        '2026-01-30',
        '2026-02-07T09:00:00+08:00',
        '2026-02-09T09:00:00+08:00',
        objector,
        'o12',
        '活动数量不实',
      );
      expect(() => given(raised).when(copy)).toThrow(
        'the same objection (objector and content) raised as o1',
      );
      // A letter refused as early does not bar the same objection raised during the period.
      const future = after(listed(), publish('2026-02-02'));
      const early = after(
        future,
        letterTo(
          '2026-02-02',
          '2026-01-30T10:00:00+08:00',
          '2026-02-02T09:00:00+08:00',
          objector,
          'o13',
          '活动数量不实',
        ),
      );
      const inTime = {
        ...(object('2026-02-03T10:00:00+08:00', 'o14') as Extract<
          CandidacyCommand,
          { kind: 'raise-objection' }
        >),
        admissibility: admissibilityOf('2026-02-03T10:00:00+08:00', publicityFrom('2026-02-02'), objector),
      };
      expect(
        given(early)
          .when(inTime)
          .map((e) => e.type),
      ).toEqual(['review.objection-raised']);
    });

    it('records nothing for a letter with bad input: entered before received, no content, no reference, a decision for another letter', () => {
      const at = '2026-02-07T09:00:00+08:00';
      const late = letterTo('2026-01-30', at, '2026-02-09T09:00:00+08:00') as Extract<
        CandidacyCommand,
        { kind: 'raise-objection' }
      >;
      const cases: [string, CandidacyCommand][] = [
        ['receivedAt', { ...late, letter: { reference: 'r', enteredAt: '2026-02-07T08:00:00+08:00' } }],
        ['content', { ...late, content: '  ' }],
        ['letter.reference', { ...late, letter: { reference: ' ', enteredAt: '2026-02-09T09:00:00+08:00' } }],
        ['admissibility', { ...late, at: '2026-02-07T09:00:01+08:00' }],
        ['admissibility', { ...late, objector: { name: '李四', contact: '13800000000' } }],
        [
          'admissibility',
          { ...late, admissibility: admissibilityOf(at, publicityFrom('2026-02-02'), objector) },
        ],
      ];
      for (const [field, command] of cases)
        expect([field, failure(() => given(ended()).when(command))]).toEqual([
          field,
          expect.objectContaining({ status: 400, field }),
        ]);
    });

    it('still refuses a late or anonymous objection on the public route, recording nothing', () => {
      expect(failure(() => given(ended()).when(object('2026-02-07T09:00:00+08:00'))).rule).toBe('A9.4');
      const anonymous = object('2026-02-02T10:00:00+08:00', 'o1', { name: '张三' });
      expect(failure(() => given(inPublicity()).when(anonymous))).toMatchObject({ rule: 'A9.4' });
    });

    it('answers an objection before a future publication day as to an application not in publicity', () => {
      const future = after(listed(), publish('2026-02-02'));
      const error = failure(() => given(future).when(object('2026-01-30T10:00:00+08:00')));
      expect(error).toBeInstanceOf(NotFoundError);
    });

    it('answers an objection to an application an upheld objection rejected as one that ended, not naming its stage', () => {
      const rejected = after(inPublicity(), object('2026-02-02T10:00:00+08:00'), {
        kind: 'rule-on-objection',
        objectionId: 'o1',
        upheld: true,
        reason: '活动数量虚报',
        at: '2026-02-03T10:00:00+08:00',
      });
      const error = failure(() => given(rejected).when(object('2026-02-04T10:00:00+08:00', 'o2')));
      expect(error.rule).toBe('A9.4');
      expect(error.message).not.toContain('rejected');
    });

    it('refuses an objection after the period ended, naming the end', () => {
      const error = failure(() => given(ended()).when(object('2026-02-07T00:00:01+08:00')));
      expect(error).toMatchObject({
        rule: 'A9.4',
        details: expect.objectContaining({ lastDay: '2026-02-06' }),
      });
    });

    it.each([
      ['objector.name', { name: '  ', contact: '13800000000' }],
      ['objector.contact', { name: '张三', contact: null }],
      ['objector.name', {}],
    ])('refuses an anonymous objection (%s)', (field, by) => {
      const command = object('2026-02-02T10:00:00+08:00', 'o1', by);
      const error = failure(() => given(inPublicity()).when(command));
      expect(error).toMatchObject({ rule: 'A9.4', details: expect.objectContaining({ field }) });
    });

    it('refuses an objection id used twice', () => {
      const events = after(inPublicity(), object('2026-02-02T10:00:00+08:00'));
      expect(() => given(events).when(object('2026-02-03T10:00:00+08:00'))).toThrow(IllegalTransitionError);
    });

    it('records the same objection sent again on the public route as another, naming nothing; the bureau enters it once, naming the first', () => {
      const events = after(inPublicity(), object('2026-02-02T10:00:00+08:00'));
      // Public: answered and recorded as any objection, so nothing tells a prober who objected (finding 6).
      const again = given(events).when(object('2026-02-02T10:05:00+08:00', 'o2'));
      expect(again).toMatchObject([{ type: 'review.objection-raised', payload: { objectionId: 'o2' } }]);
      expect(JSON.stringify(again)).not.toContain('"o1"');
      // The bureau's letter of it (objector and content) is that objection, named: the first, even after a repeat.
      const copy = letterTo(
        '2026-01-30',
        '2026-02-02T11:00:00+08:00',
        '2026-02-02T12:00:00+08:00',
        objector,
        'o4',
        '活动数量不实',
      );
      for (const before of [events, [...events, ...again]])
        expect(failure(() => given(before).when(copy))).toMatchObject({
          status: 409,
          message: expect.stringContaining('the same objection (objector and content) raised as o1'),
        });
      const other = object('2026-02-02T10:05:00+08:00', 'o3', { name: '李四', contact: '13900000000' });
      expect(
        given(events)
          .when(other)
          .map((e) => e.type),
      ).toEqual(['review.objection-raised']);
    });

    it('investigates, then dismisses: the application stays and may be recognised', () => {
      const events = after(
        inPublicity(),
        object('2026-02-02T10:00:00+08:00'),
        {
          kind: 'investigate-objection',
          objectionId: 'o1',
          note: '调取活动台账',
          at: '2026-02-03T10:00:00+08:00',
        },
        endPublicity,
      );
      expect(events.at(-1)!.payload).toMatchObject({ pendingObjectionIds: ['o1'] });
      expect(phaseOf(given(events).state)).toBe('objection pending');
      expect(failure(() => given(events).when(sign('bureau'))).rule).toBe('A9.4');
      const dismissed = after(events, {
        kind: 'rule-on-objection',
        objectionId: 'o1',
        upheld: false,
        reason: '经核查活动台账属实',
        at: '2026-02-09T10:00:00+08:00',
      });
      expect(dismissed.at(-1)!.type).toBe('review.objection-dismissed');
      expect(after(dismissed, sign('bureau'), sign('district')).at(-1)!.type).toBe(
        'review.center-recognized',
      );
    });

    it('upholds an objection: the application leaves the list, rejected with the reason', () => {
      const events = after(inPublicity(), object('2026-02-02T10:00:00+08:00'));
      const ruled = given(events).when({
        kind: 'rule-on-objection',
        objectionId: 'o1',
        upheld: true,
        reason: '活动数量虚报',
        at: '2026-02-04T10:00:00+08:00',
      });
      expect(ruled.map((e) => e.type)).toEqual(['review.objection-upheld', 'review.application-rejected']);
      expect(ruled[1]!.payload).toMatchObject({ stage: 'objection', ruleIds: ['A9.4'] });
      expect((ruled[1]!.payload as { reasons: string[] }).reasons[0]).toContain('活动数量虚报');
      const state = given([...events, ...ruled]);
      expect(state.state.status).toBe('rejected');
      expect(() => state.when(endPublicity)).toThrow('cannot end publicity when candidacy rejected');
      expect(() => state.when(sign('bureau'))).toThrow('cannot sign agreement when candidacy rejected');
    });

    it('answers 404 for an unknown objection and refuses to rule on an already ruled one', () => {
      const rule = (objectionId: string): CandidacyCommand => ({
        kind: 'rule-on-objection',
        objectionId,
        upheld: false,
        reason: 'r',
        at: '2026-02-04T10:00:00+08:00',
      });
      const events = after(inPublicity(), object('2026-02-02T10:00:00+08:00'), rule('o1'));
      // An id named in the path that does not exist: 404, as an unknown candidacy.
      for (const unknown of ['o2', 'constructor', '__proto__', 'toString'])
        expect(() => given(events).when(rule(unknown))).toThrow(
          expect.objectContaining({ status: 404, details: { what: 'objection', id: unknown } }),
        );
      expect(() => given(events).when(rule('o1'))).toThrow(
        'cannot rule on objection when objection o1 dismissed',
      );
    });
  });

  describe('agreement and recognition (A9.4)', () => {
    it('records each signature with its written reason and refuses one without', () => {
      expect(given(ended()).when(sign('bureau'))[0]!.payload).toMatchObject({ reason: '公示期满无异议' });
      const unexplained = { ...sign('bureau'), reason: '  ' } as CandidacyCommand;
      expect(failure(() => given(ended()).when(unexplained)).field).toBe('reason');
    });

    it('recognises the center when both parties have signed, on the later signing date', () => {
      const events = after(ended(), sign('district', '2026-02-09T10:00:00+08:00'));
      expect(events.at(-1)).toMatchObject({
        type: 'review.agreement-signed',
        payload: { party: 'district' },
      });
      const last = given(events).when(sign('bureau', '2026-02-10T20:00:00Z'));
      expect(last.map((e) => e.type)).toEqual(['review.agreement-signed', 'review.center-recognized']);
      expect(last[1]!.payload).toEqual({
        centerId: 'app-1',
        recognitionDate: '2026-02-11',
        district: '南关区',
        operator: { accountId: 'op-1', ...OPERATOR },
        callId: 'call-2026',
        // The accepted facts eligibility was decided on (A6): reporting's A16 baseline.
        facts: passingFacts(),
        // The version in force on the signing day: the one reporting, assessment and finance decide under.
        policyVersion: 'policy-2026.1',
      });
      expect(given([...events, ...last]).state).toMatchObject({
        status: 'recognized',
        recognitionDate: '2026-02-11',
      });
    });

    it('records the version in force as it is, even one published before names were bounded', () => {
      // Finance bounds a new version's name (libs/rules POLICY_VERSION_PATTERN); an older one may be longer.
      // It is the version in force, not the office's input: recorded, never a 400 naming a field.
      const long = `policy-2026.${'长'.repeat(120)}`;
      const events = after(ended(), sign('bureau'));
      const last = given(events).when({ ...sign('district'), policyVersion: long } as CandidacyCommand);
      expect(last.map((e) => e.type)).toEqual(['review.agreement-signed', 'review.center-recognized']);
      expect(last[1]!.payload).toMatchObject({ policyVersion: long });
    });

    it('treats a recognising signature given no version in force as an internal error, not a 400 naming a field', () => {
      const events = after(ended(), sign('bureau'));
      const run = () =>
        given(events).when({ ...sign('district'), policyVersion: undefined } as CandidacyCommand);
      expect(run).toThrow('the recognising signature was given no policy version in force');
      expect(run).not.toThrow(InvalidInputError);
      // The first signature recognises nothing and needs none.
      expect(
        given(ended()).when({ ...sign('bureau'), policyVersion: undefined } as CandidacyCommand),
      ).toHaveLength(1);
    });

    it('refuses signing during publicity', () => {
      expect(() => given(inPublicity()).when(sign('bureau'))).toThrow(
        'cannot sign agreement when candidacy in-publicity',
      );
    });

    it('answers a district office of another unit as if the candidacy did not exist, whatever its state', () => {
      const other = { ...sign('district'), district: '朝阳区' } as CandidacyCommand;
      expect(() => given(ended()).when(other)).toThrow(new NotFoundError('candidacy'));
      expect(() => given(inPublicity()).when(other)).toThrow(new NotFoundError('candidacy'));
    });

    it('refuses the same party signing twice, and any signing after recognition', () => {
      const once = after(ended(), sign('bureau'));
      expect(() => given(once).when(sign('bureau'))).toThrow(
        'cannot sign agreement as bureau when agreement signed by bureau',
      );
      const recognized = after(once, sign('district'));
      expect(() => given(recognized).when(sign('district'))).toThrow(
        'cannot sign agreement when candidacy recognized',
      );
    });

    it('takes an application from acceptance to recognition', () => {
      const events = after(ended(), sign('bureau'), sign('district'));
      expect(events.map((e) => e.type)).toEqual([
        'review.candidacy-opened',
        'review.eligibility-decided',
        'review.expert-assigned',
        'review.expert-review-recorded',
        'review.site-inspection-recorded',
        'review.candidacy-listed',
        'review.publicity-started',
        'review.publicity-ended',
        'review.agreement-signed',
        'review.agreement-signed',
        'review.center-recognized',
      ]);
      expect(events.every((e) => e.schemaVersion === 1)).toBe(true);
    });
  });
});
