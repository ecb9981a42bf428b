import { foldEvents, IllegalTransitionError, NotFoundError, RuleViolationError } from '@nqpf/domain';
import type { CandidacyCommand } from './candidacy.commands';
import { candidacyDecider } from './candidacy.decider';
import type { CandidacyEvent } from './candidacy.events';
import { accepted, eligibilityOf, expert, passingFacts } from './candidacy.fixtures';
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
const open: CandidacyCommand = {
  kind: 'open',
  accepted: accepted(),
  eligibilityDecision: eligibilityOf(passingFacts()),
  at: AT,
};
const assign = (id: string): CandidacyCommand => ({ kind: 'assign-expert', expert: expert(id), at: AT });
const review = (id: string, score = 88, opinion = '材料翔实'): CandidacyCommand => ({
  kind: 'record-review',
  expert: expert(id),
  score,
  opinion,
  at: AT,
});
const inspect = (id: string): CandidacyCommand => ({
  kind: 'record-site-inspection',
  expert: expert(id),
  inspectedOn: '2026-03-13',
  satisfactory: true,
  finding: '场地与申报一致',
  at: AT,
});
const reviseReview = (
  patch: Partial<Extract<CandidacyCommand, { kind: 'revise-review' }>> = {},
): CandidacyCommand => ({
  kind: 'revise-review',
  expert: expert('e1'),
  score: 62,
  opinion: '经纪人结构不达标',
  reason: '漏看经纪人职称材料',
  at: AT,
  ...patch,
});
const reviseInspection = (
  patch: Partial<Extract<CandidacyCommand, { kind: 'revise-site-inspection' }>> = {},
): CandidacyCommand => ({
  kind: 'revise-site-inspection',
  expert: expert('e1'),
  inspectedOn: '2026-03-13',
  satisfactory: false,
  finding: '展示交易区未运行',
  reason: '考察记录登记有误',
  at: AT,
  ...patch,
});
const list: CandidacyCommand = {
  kind: 'decide-listing',
  listId: 'list-2026',
  listed: true,
  reason: '评审通过',
  at: AT,
  conflictedExpertIds: [],
};

/** Two experts: e1 reviewed and inspected, e2 reviewed. */
const reviewed = () =>
  after([], open, assign('e1'), assign('e2'), review('e1'), inspect('e1'), review('e2', 75, '一般'));
const stateOf = (events: CandidacyEvent[]) => given(events).state as Candidacy;

describe('an expert corrects their own review (A9.1)', () => {
  it('records the correction with its reason and the score it replaces; the state holds the corrected review', () => {
    const events = given(reviewed()).when(reviseReview());
    expect(events).toEqual([
      {
        type: 'review.expert-review-revised',
        schemaVersion: 1,
        payload: {
          applicationId: 'app-1',
          expertId: 'e1',
          score: 62,
          opinion: '经纪人结构不达标',
          reason: '漏看经纪人职称材料',
          revisedAt: AT,
          previousScore: 88,
        },
      },
    ]);
    const state = stateOf([...reviewed(), ...events]);
    // Replaced in place: one review per expert, the other expert's untouched.
    expect(state.reviews).toEqual([
      { expertId: 'e1', score: 62, opinion: '经纪人结构不达标' },
      { expertId: 'e2', score: 75, opinion: '一般' },
    ]);
    expect(phaseOf(state)).toBe('reviewed');
  });

  it('may be corrected again, each time from the review as last corrected', () => {
    const once = after(reviewed(), reviseReview());
    const twice = given(once).when(reviseReview({ score: 70, reason: '复核后调整' }));
    expect(twice[0]!.payload).toMatchObject({ score: 70, opinion: '经纪人结构不达标', previousScore: 62 });
    // Changing the opinion only is a correction too.
    expect(given(once).when(reviseReview({ opinion: '经纪人结构基本达标' }))[0]!.payload).toMatchObject({
      score: 62,
      previousScore: 62,
    });
  });

  it('refuses an expert who has recorded no review, naming the state', () => {
    const error = failure(() => given(after([], open, assign('e1'))).when(reviseReview()));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error.message).toBe('cannot revise review when no review by e1 recorded');
  });

  it("answers an expert not assigned as not found, also one whose review was dropped by an unassignment, and another's review", () => {
    const notFound = new NotFoundError('candidacy');
    expect(() => given(reviewed()).when(reviseReview({ expert: expert('e3') }))).toThrow(notFound);
    const unassigned = after(reviewed(), { kind: 'unassign-expert', expertId: 'e1', reason: '回避', at: AT });
    expect(() => given(unassigned).when(reviseReview())).toThrow(notFound);
    // Assigned again, they have no review to correct: they record one anew.
    const back = after(unassigned, assign('e1'));
    expect(failure(() => given(back).when(reviseReview())).message).toContain('no review by e1 recorded');
  });

  it('refuses an expert who declared a conflict since their review, naming the rule', () => {
    const conflicted = reviseReview({ expert: expert('e1', [{ name: 'Institution 1' }]) });
    const error = failure(() => given(reviewed()).when(conflicted));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error.rule).toBe('A9.1');
  });

  it('refuses a correction once the list is decided, or after the application was left off it', () => {
    const listed = after(reviewed(), list);
    expect(() => given(listed).when(reviseReview())).toThrow('cannot revise review when candidacy listed');
    const notListed = after(reviewed(), {
      ...list,
      listed: false,
      reason: '综合排名靠后',
    } as CandidacyCommand);
    expect(() => given(notListed).when(reviseReview())).toThrow(
      'cannot revise review when candidacy not-listed',
    );
  });

  it.each([
    ['reason', { reason: '' }],
    ['reason', { reason: '   ' }],
    ['reason', { reason: undefined }],
    ['score', { score: 101 }],
    ['score', { score: 7.5 }],
    ['opinion', { opinion: '' }],
  ])('names the bad field %s', (field, patch) => {
    const command = reviseReview(patch as Partial<Extract<CandidacyCommand, { kind: 'revise-review' }>>);
    expect(failure(() => given(reviewed()).when(command)).field).toBe(field);
  });

  it('refuses a correction that changes nothing (the same score and opinion), naming the state', () => {
    const same = reviseReview({ score: 88, opinion: '  材料翔实 ' });
    const error = failure(() => given(reviewed()).when(same));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error.message).toBe(
      'cannot revise review when the review by e1 already has this score and opinion',
    );
  });
});

describe('an expert corrects their own site inspection (A9.1)', () => {
  it('records the correction with its reason; the state holds the corrected inspection', () => {
    const events = given(reviewed()).when(reviseInspection());
    expect(events).toEqual([
      {
        type: 'review.site-inspection-revised',
        schemaVersion: 1,
        payload: {
          applicationId: 'app-1',
          expertId: 'e1',
          inspectedOn: '2026-03-13',
          satisfactory: false,
          finding: '展示交易区未运行',
          reason: '考察记录登记有误',
          revisedAt: AT,
        },
      },
    ]);
    expect(stateOf([...reviewed(), ...events]).inspections).toEqual([
      { expertId: 'e1', inspectedOn: '2026-03-13', satisfactory: false, finding: '展示交易区未运行' },
    ]);
  });

  it('refuses an expert who has recorded no site inspection, naming the state', () => {
    const byE2 = reviseInspection({ expert: expert('e2') });
    const error = failure(() => given(reviewed()).when(byE2));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error.message).toBe('cannot revise site inspection when no site inspection by e2 recorded');
  });

  it('answers an expert not assigned, or unassigned since, as not found', () => {
    const notFound = new NotFoundError('candidacy');
    expect(() => given(reviewed()).when(reviseInspection({ expert: expert('e3') }))).toThrow(notFound);
    const unassigned = after(reviewed(), { kind: 'unassign-expert', expertId: 'e1', reason: '回避', at: AT });
    expect(() => given(unassigned).when(reviseInspection())).toThrow(notFound);
  });

  it('refuses an expert who declared a conflict since their inspection, naming the rule', () => {
    const conflicted = reviseInspection({ expert: expert('e1', [{ name: 'Institution 2' }]) });
    expect(failure(() => given(reviewed()).when(conflicted)).rule).toBe('A9.1');
  });

  it('refuses a correction once the list is decided', () => {
    expect(() => given(after(reviewed(), list)).when(reviseInspection())).toThrow(
      'cannot revise site inspection when candidacy listed',
    );
  });

  it.each([
    ['reason', { reason: '' }],
    ['reason', { reason: undefined }],
    ['inspectedOn', { inspectedOn: '2026-02-30' }],
    ['satisfactory', { satisfactory: 'yes' }],
    ['finding', { finding: ' ' }],
  ])('names the bad field %s', (field, patch) => {
    const command = reviseInspection(
      patch as Partial<Extract<CandidacyCommand, { kind: 'revise-site-inspection' }>>,
    );
    expect(failure(() => given(reviewed()).when(command)).field).toBe(field);
  });

  it('keeps the date rules of recording: not in the future, not before the acceptance', () => {
    const ahead = failure(() => given(reviewed()).when(reviseInspection({ inspectedOn: '2026-03-14' })));
    expect(ahead).toMatchObject({ field: 'inspectedOn' });
    expect(ahead.message).toContain('must not be in the future');
    const before = failure(() => given(reviewed()).when(reviseInspection({ inspectedOn: '2026-03-11' })));
    expect(before).toMatchObject({ field: 'inspectedOn' });
    expect(before.message).toContain('before the application was accepted (2026-03-12)');
  });

  it("refuses a correction to a day before the expert's assignment day, naming inspectedOn (A9.1)", () => {
    // Accepted 2026-03-12, assigned 2026-03-13: the 12th is after the acceptance, before the assignment.
    const error = failure(() => given(reviewed()).when(reviseInspection({ inspectedOn: '2026-03-12' })));
    expect(error).toMatchObject({ field: 'inspectedOn' });
    expect(error.message).toContain('A9.1');
    expect(error.message).toContain('before expert e1 was assigned (2026-03-13');
  });

  it('refuses a correction that changes nothing (the same day, verdict and finding), naming the state', () => {
    const same = reviseInspection({
      inspectedOn: '2026-03-13',
      satisfactory: true,
      finding: '场地与申报一致',
    });
    const error = failure(() => given(reviewed()).when(same));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error.message).toBe(
      'cannot revise site inspection when the site inspection by e1 already has this day, verdict and finding',
    );
    // Only the verdict changed: a correction.
    expect(given(reviewed()).when({ ...same, satisfactory: false } as CandidacyCommand)).toHaveLength(1);
  });
});
