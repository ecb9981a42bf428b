import type { DecisionRecordV1, MaterialsOutcomeV1, MaterialV1 } from '@nqpf/contracts';
import {
  DomainError,
  NotFoundError,
  foldEvents,
  IllegalTransitionError,
  InvalidInputError,
  RuleViolationError,
} from '@nqpf/domain';
import type { CallState } from '../call/call.decider';
import {
  ApplicationCommand,
  applicationDecider,
  ApplicationEvent,
  ApplicationState,
  MaterialsDecision,
} from './application.decider';
import { DEFAULT_DISTRICT_UNITS } from '@nqpf/domain';
import { allMaterials, material, OPEN_CALL, OPERATOR_CODE, passingFacts } from './application.fixtures';

const IN_WINDOW = '2026-03-10T09:00:00+08:00';
const UNITS = DEFAULT_DISTRICT_UNITS;

function given(events: ApplicationEvent[]) {
  const state = foldEvents(applicationDecider, events);
  return {
    state,
    when: (command: ApplicationCommand) => applicationDecider.decide(command, state),
  };
}

function after(events: ApplicationEvent[], ...more: ApplicationCommand[]): ApplicationEvent[] {
  return more.reduce((all, command) => [...all, ...given(all).when(command)], events);
}

const draft = (patch: Partial<Extract<ApplicationCommand, { kind: 'draft' }>> = {}): ApplicationCommand => ({
  kind: 'draft',
  applicationId: 'app-1',
  callId: 'call-2026',
  call: OPEN_CALL,
  operatorAccountId: 'op-1',
  district: '南关区',
  districtUnits: UNITS,
  facts: passingFacts(),
  materials: allMaterials(),
  at: IN_WINDOW,
  ...patch,
});
const submit: ApplicationCommand = {
  kind: 'submit',
  call: OPEN_CALL,
  districtUnits: UNITS,
  at: IN_WINDOW,
};
const endorse: ApplicationCommand = { kind: 'endorse', district: '南关区', at: '2026-03-11T10:00:00+08:00' };

function materialsDecision(
  materials: MaterialV1[],
  missing: MaterialsOutcomeV1['missing'],
): MaterialsDecision {
  return {
    rule: 'materials',
    rulesetVersion: 'rules-1',
    policyVersion: 'policy-2026',
    inputs: { materials },
    outcome: { complete: missing.length === 0, missing },
    reasons: missing.map((kind) => ({
      ruleId: 'A8',
      criterion: kind,
      measured: 0,
      threshold: '>= 1',
      passed: false,
      message: { zh: `缺少${kind}，应退回补充`, en: `${kind} missing` },
    })),
  } satisfies DecisionRecordV1;
}

const check = (missing: MaterialsOutcomeV1['missing'] = []): ApplicationCommand => ({
  kind: 'check-materials',
  at: '2026-03-12T10:00:00+08:00',
  materialsDecision: materialsDecision(allMaterials(), missing),
});

const drafted = () => given([]).when(draft());
const submitted = () => after(drafted(), submit);
const endorsed = () => after(submitted(), endorse);

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

function statusAfter(events: ApplicationEvent[]): ApplicationState['status'] {
  return foldEvents(applicationDecider, events).status;
}

describe('application decider (A7, A8)', () => {
  describe('drafting', () => {
    it('drafts an application with normalised A6 facts, district and materials', () => {
      const [e] = given([]).when(
        draft({ facts: { ...passingFacts(), premises: { buildingAreaM2: '5000' } } }),
      );
      expect(e).toMatchObject({
        type: 'intake.application-drafted',
        schemaVersion: 1,
        payload: {
          applicationId: 'app-1',
          callId: 'call-2026',
          operatorAccountId: 'op-1',
          district: '南关区',
        },
      });
      expect(e!.payload).toMatchObject({ facts: { premises: { buildingAreaM2: '5000.00' } } });
    });

    it('refuses to draft twice on the same stream', () => {
      expect(() => given(drafted()).when(draft())).toThrow('cannot draft application when application draft');
    });

    it('refuses a draft under a closed call, naming the window', () => {
      const closed: CallState = { ...OPEN_CALL, status: 'closed' };
      expect(() => given([]).when(draft({ call: closed }))).toThrow(
        'applications are accepted only while call call-2026 is open, from 2026-03-01 to 2026-04-30',
      );
    });

    it('an operator can save a draft on the last day of the call (A7, both ends inclusive)', () => {
      // Submission is taken on the closing day, so the draft it needs must be too.
      const [e] = given([]).when(draft({ at: '2026-04-30T20:00:00+08:00' }));
      expect(e!.type).toBe('intake.application-drafted');
      expect(() => given([]).when(draft({ at: '2026-05-01T00:00:00+08:00' }))).toThrow(RuleViolationError);
    });

    it.each([9, 10])(
      'a team where all %i staff in post are brokers is taken as it stands; A6.4 is decided in review (case 4)',
      (staffInPost) => {
        // Only more brokers than staff is bad input: as many is a team RULES.md decides on (case 4: 9 and 9).
        const facts = { ...passingFacts(), team: { staffInPost, brokers: { intermediate: staffInPost } } };
        expect(given([]).when(draft({ facts }))[0]!.payload).toMatchObject({
          facts: { team: { staffInPost, brokers: { junior: 0, intermediate: staffInPost, senior: 0 } } },
        });
      },
    );

    it('refuses a draft under a call that does not exist', () => {
      expect(() => given([]).when(draft({ call: { status: 'none' } }))).toThrow(RuleViolationError);
    });

    it.each([
      ['facts.premises.buildingAreaM2', { premises: { buildingAreaM2: '5000.001' } }],
      ['facts.institutions[0].kind', { institutions: [{ name: 'X', kind: 'club' }] }],
      [
        'facts.institutions[0].creditCode',
        { institutions: [{ name: 'X', kind: 'enterprise', creditCode: '123' }] },
      ],
      ['facts.operator.creditCode', { operator: { name: 'Op', creditCode: '91220101MA00000010' } }],
      [
        'facts.team.brokers',
        { team: { staffInPost: 3, brokers: { junior: 2, intermediate: 2, senior: 0 } } },
      ],
      ['facts.team.staffInPost', { team: { staffInPost: -1, brokers: {} } }],
      [
        'facts.activities.periodTo',
        { activities: { count: 100, periodFrom: '2025-01-01', periodTo: '2026-02-28' } },
      ],
      // 2025-03-01..2026-03-01 is 366 days: one day more than 12 months (A6.5).
      [
        'facts.activities.periodTo',
        { activities: { count: 100, periodFrom: '2025-03-01', periodTo: '2026-03-01' } },
      ],
      // No 29 February in 2025: the year after 2024-02-29 ends on 2025-02-27 (Civil Code art. 202).
      [
        'facts.activities.periodTo',
        { activities: { count: 100, periodFrom: '2024-02-29', periodTo: '2025-02-28' } },
      ],
      [
        'facts.strategicCooperations[0].level',
        { strategicCooperations: [{ partner: 'X', level: 'village' }] },
      ],
      ['facts.services[1]', { services: ['technology_trading', ''] }],
      // A misspelt field is refused naming it, not read as absent (0 senior brokers, no credit code).
      ['facts.team.brokers.senoir', { team: { staffInPost: 20, brokers: { intermediate: 5, senoir: 3 } } }],
      [
        'facts.institutions[0].creditcode',
        { institutions: [{ name: 'X', kind: 'university', creditcode: 'c' }] },
      ],
      ['facts.bogusFact', { bogusFact: 1 }],
      ['facts.operator.name', { operator: { name: '长春\u2067某\u2069公司', creditCode: OPERATOR_CODE } }],
      ['facts.institutions[0].name', { institutions: [{ name: '\u200B\uFEFF', kind: 'university' }] }],
    ])('names the bad field %s', (field, patch) => {
      expect(() => given([]).when(draft({ facts: { ...passingFacts(), ...patch } }))).toThrow(
        expect.objectContaining({ field }),
      );
    });

    it.each([
      ['2025-03-01', '2026-02-28'],
      ['2024-02-29', '2025-02-27'],
      ['2024-03-01', '2025-02-28'],
    ])('accepts a period of exactly 12 months, %s..%s', (periodFrom, periodTo) => {
      const facts = { ...passingFacts(), activities: { count: 100, periodFrom, periodTo } };
      expect(given([]).when(draft({ facts }))[0]!.payload).toMatchObject({
        facts: { activities: { periodFrom, periodTo } },
      });
    });

    it.each([
      ['materials[0].sha256', { sha256: 'xyz' }],
      ['materials[0].sizeBytes', { sizeBytes: 0 }],
      ['materials[0].kind', { kind: 'photo' }],
      ['materials[0].fileName', { fileName: '../etc/passwd' }],
      // An RTL override shows 'invoice\u202Efdp.exe' as 'invoiceexe.pdf'.
      ['materials[0].fileName', { fileName: 'invoice\u202Efdp.exe' }],
      ['materials[0].fileName', { fileName: '\u200B\u202E' }],
      ['materials[0].mediaType', { mediaType: 'pdf' }],
      ['materials[0].colour', { colour: 'red' }],
    ])('names the bad material field %s', (field, patch) => {
      expect(() =>
        given([]).when(draft({ materials: [{ ...material('application_form'), ...patch }] })),
      ).toThrow(expect.objectContaining({ field }));
    });

    it('names a missing district', () => {
      expect(() => given([]).when(draft({ district: ' ' }))).toThrow(
        expect.objectContaining({ field: 'district' }),
      );
    });

    it.each(['Atlantis区', '南关', 'nanguan', 'toString', '__proto__'])(
      'refuses %s, which is no configured district-level unit, naming district and A3',
      (district) => {
        const error = errorOf(() => given([]).when(draft({ district })));
        expect(error).toBeInstanceOf(InvalidInputError);
        expect(error).toMatchObject({ field: 'district' });
        expect(error.message).toContain(`'${district}' is not a district-level unit of Changchun (A3`);
      },
    );

    it.each([...DEFAULT_DISTRICT_UNITS])('drafts in the default unit %s', (district) => {
      expect(given([]).when(draft({ district }))[0]!.payload).toMatchObject({ district });
    });

    it('takes the units from the configuration it is given, not a list of its own', () => {
      const configured = ['高新区', '长春国际汽车城'];
      expect(given([]).when(draft({ district: '长春国际汽车城', districtUnits: configured }))).toHaveLength(
        1,
      );
      expect(() => given([]).when(draft({ district: '南关区', districtUnits: configured }))).toThrow(
        expect.objectContaining({ field: 'district' }),
      );
    });
  });

  describe('amending', () => {
    it('amends materials of a draft', () => {
      const [e] = given(drafted()).when({
        kind: 'amend',
        districtUnits: UNITS,
        materials: [],
      });
      expect(e).toEqual({
        type: 'intake.application-amended',
        schemaVersion: 1,
        payload: { applicationId: 'app-1', materials: [] },
      });
    });

    const toChaoyang: ApplicationCommand = { kind: 'amend', districtUnits: UNITS, district: '朝阳区' };
    const returnedBy = (district: string, events: ApplicationEvent[]) =>
      after(events, { kind: 'return-by-district', district, at: IN_WINDOW, reasons: ['该中心位于朝阳区'] });

    it('moves a draft to another district (A3)', () => {
      const moved = given(drafted()).when(toChaoyang);
      expect(foldEvents(applicationDecider, [...drafted(), ...moved])).toMatchObject({ district: '朝阳区' });
    });

    it('moves an application returned by the district office to the right one, which then endorses it (A3, A8)', () => {
      const returned = returnedBy('南关区', submitted());
      const moved = given(returned).when(toChaoyang);
      expect(moved).toEqual([
        {
          type: 'intake.application-amended',
          schemaVersion: 1,
          payload: { applicationId: 'app-1', district: '朝阳区' },
        },
      ]);
      const resubmitted = after([...returned, ...moved], submit);
      expect(resubmitted.at(-1)).toMatchObject({
        type: 'intake.application-submitted',
        payload: { district: '朝阳区', revision: 2 },
      });
      // The office it was sent to first no longer finds it; the right one endorses it.
      expect(() => given(resubmitted).when(endorse)).toThrow(NotFoundError);
      expect(
        given(resubmitted).when({ kind: 'endorse', district: '朝阳区', at: '2026-03-12T10:00:00+08:00' }),
      ).toMatchObject([
        { type: 'intake.application-endorsed', payload: { district: '朝阳区', revision: 2 } },
      ]);
    });

    it('refuses to move an application from its first endorsement on (A3, naming district)', () => {
      const refusesMove = (events: ApplicationEvent[]) => {
        const error = errorOf(() => given(events).when(toChaoyang));
        expect(error).toBeInstanceOf(RuleViolationError);
        expect(error).toMatchObject({
          status: 422,
          details: { rule: 'A3', field: 'district', district: '南关区' },
        });
        expect(error.message).toBe(
          'A3: the district-level unit 南关区 is fixed from the first endorsement on; it can change only in a ' +
            'draft or after a return by the district office before any endorsement',
        );
      };
      // Endorsed, accepted: not amendable at all (409), but a move is refused as what it is.
      refusesMove(endorsed());
      refusesMove(after(endorsed(), check()));
      expect(() => given(endorsed()).when({ kind: 'amend', materials: [] })).toThrow(IllegalTransitionError);
      // Submitted, never endorsed: with the office, not amendable (409) as before.
      expect(() => given(submitted()).when(toChaoyang)).toThrow(IllegalTransitionError);
      // Returned for supplement (after an endorsement): facts and materials may change, the district not.
      const supplement = after(endorsed(), check(['co_construction_agreement']));
      refusesMove(supplement);
      expect(given(supplement).when({ kind: 'amend', materials: allMaterials() })).toHaveLength(1);
      // Resubmitted, then returned by the same office: endorsed once, so still fixed.
      const resubmitted = after(supplement, submit);
      refusesMove(returnedBy('南关区', resubmitted));
      // Naming the district it already has is no change.
      expect(
        given(supplement).when({ kind: 'amend', district: '南关区', materials: allMaterials() }),
      ).toMatchObject([{ payload: { applicationId: 'app-1', materials: allMaterials() } }]);
    });

    it('refuses to move a draft to a unit that is not configured, naming district', () => {
      expect(() =>
        given(drafted()).when({
          kind: 'amend',
          districtUnits: UNITS,
          district: 'Atlantis区',
        }),
      ).toThrow(expect.objectContaining({ field: 'district' }));
    });

    it('refuses an empty amendment', () => {
      expect(() => given(drafted()).when({ kind: 'amend', districtUnits: UNITS })).toThrow(
        'nothing to amend',
      );
    });

    it('refuses to amend a submitted application', () => {
      expect(() =>
        given(submitted()).when({
          kind: 'amend',
          districtUnits: UNITS,
          materials: [],
        }),
      ).toThrow('cannot amend application when application submitted');
    });
  });

  describe('submitting (A7 window)', () => {
    it('submits inside the window as revision 1 with the facts', () => {
      const [e] = given(drafted()).when(submit);
      expect(e).toMatchObject({
        type: 'intake.application-submitted',
        payload: { applicationId: 'app-1', revision: 1, district: '南关区', submittedAt: IN_WINDOW },
      });
    });

    it.each([
      ['before the window opens', '2026-02-28T23:59:59+08:00', 'today 2026-02-28'],
      ['after the window closes (Shanghai date)', '2026-04-30T16:00:00Z', 'today 2026-05-01'],
    ])('refuses a submission %s, naming the window', (_, at, today) => {
      const error = (() => {
        try {
          given(drafted()).when({ ...submit, at } as ApplicationCommand);
        } catch (e) {
          return e as RuleViolationError;
        }
      })();
      expect(error).toBeInstanceOf(RuleViolationError);
      expect(error!.message).toContain('from 2026-03-01 to 2026-04-30');
      expect(error!.message).toContain(today);
      expect(error!.details).toMatchObject({ opensOn: '2026-03-01', closesOn: '2026-04-30' });
    });

    it('accepts a submission on the last day of the window (inclusive)', () => {
      // Activities up to the end of March: the 12 months before an end-of-April submission (A6.5).
      const activities = { count: 100, periodFrom: '2025-04-01', periodTo: '2026-03-31' };
      const aprilDraft = given([]).when(draft({ facts: { ...passingFacts(), activities } }));
      expect(
        given(aprilDraft).when({ ...submit, at: '2026-04-30T23:59:59+08:00' } as ApplicationCommand),
      ).toHaveLength(1);
    });

    it('refuses a submission once the call is closed', () => {
      const closed: CallState = { ...OPEN_CALL, status: 'closed' };
      expect(() => given(drafted()).when({ ...submit, call: closed } as ApplicationCommand)).toThrow(
        'call closed',
      );
    });

    const returnedByDistrict = () =>
      after(submitted(), {
        kind: 'return-by-district',
        district: '南关区',
        at: '2026-03-11T10:00:00+08:00',
        reasons: ['盖章缺失'],
      });
    const returnedForSupplement = () => after(endorsed(), check(['co_construction_agreement']));
    it.each([
      ['by the district office', returnedByDistrict],
      ['for supplement', returnedForSupplement],
    ])(
      'takes a resubmission after the call closed, once returned %s (A8: a return is no rejection)',
      (_, returned) => {
        // Activities up to the end of May: the 12 months before a June resubmission (A6.5).
        const activities = { count: 100, periodFrom: '2025-06-01', periodTo: '2026-05-31' };
        const amended = after(returned(), {
          kind: 'amend',
          facts: { ...passingFacts(), activities },
        });
        const closed: CallState = { ...OPEN_CALL, status: 'closed' };
        const late = { ...submit, call: closed, at: '2026-06-10T09:00:00+08:00' } as ApplicationCommand;
        expect(given(amended).when(late)).toMatchObject([
          { type: 'intake.application-submitted', payload: { revision: 2 } },
        ]);
        // The first submission is still held to the window.
        expect(() => given(drafted()).when(late)).toThrow('call closed');
        // And the resubmission to the call's year (2026).
        const nextYear = { ...late, at: '2027-01-01T00:00:00+08:00' } as ApplicationCommand;
        expect(() => given(amended).when(nextYear)).toThrow(
          'a returned application of call call-2026 (for 2026) is resubmitted by 2026-12-31, not on 2027-01-01',
        );
      },
    );

    it("takes a resubmission until the call closes when its window runs past the call's year", () => {
      const winterCall: CallState = { ...OPEN_CALL, opensOn: '2026-12-01', closesOn: '2027-01-31' };
      const activities = (periodFrom: string, periodTo: string) => ({
        ...passingFacts(),
        activities: { count: 100, periodFrom, periodTo },
      });
      const returned = after(
        [],
        draft({
          call: winterCall,
          at: '2026-12-15T09:00:00+08:00',
          facts: activities('2025-12-01', '2026-11-30'),
        }),
        { ...submit, call: winterCall, at: '2026-12-15T09:00:00+08:00' } as ApplicationCommand,
        {
          kind: 'return-by-district',
          district: '南关区',
          at: '2027-01-10T10:00:00+08:00',
          reasons: ['盖章缺失'],
        },
        { kind: 'amend', facts: activities('2026-01-01', '2026-12-31') },
      );
      const closed: CallState = { ...winterCall, status: 'closed' };
      const on = (day: string, call = closed) =>
        ({ ...submit, call, at: `${day}T09:00:00+08:00` }) as ApplicationCommand;
      expect(given(returned).when(on('2027-01-20', winterCall))).toHaveLength(1);
      expect(given(returned).when(on('2027-01-31'))).toHaveLength(1);
      expect(() => given(returned).when(on('2027-02-01'))).toThrow(
        'a returned application of call call-2026 (for 2026) is resubmitted by 2027-01-31, not on 2027-02-01',
      );
    });

    it('refuses to submit a draft whose district is no longer a configured unit', () => {
      const elsewhere = { ...submit, districtUnits: ['朝阳区'] } as ApplicationCommand;
      expect(() => given(drafted()).when(elsewhere)).toThrow(expect.objectContaining({ field: 'district' }));
    });

    it('refuses a misspelt A6.2 code, which would leave the named service missing; further ones pass', () => {
      const services = [...passingFacts().services.slice(0, 4), 'legal_service'];
      const error = errorOf(() => given([]).when(draft({ facts: { ...passingFacts(), services } })));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: 'facts.services[4]' });
      expect(error.message).toContain(
        "'legal_service' is not a code of A6.2: did you mean 'legal_services'?",
      );
      const inWords = { ...passingFacts(), functions: ['成果展示', '互动', '交易', '转化', '路演服务'] };
      expect(given([]).when(draft({ facts: inWords }))).toHaveLength(1);
    });

    it('refuses activities of 2019 in a 2026 submission: A6.5 counts the 12 months before submission', () => {
      const facts = {
        ...passingFacts(),
        activities: { count: 120, periodFrom: '2019-01-01', periodTo: '2019-12-31' },
      };
      const draftEvents = given([]).when(draft({ facts }));
      const error = errorOf(() => given(draftEvents).when(submit));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: 'facts.activities.periodTo' });
      expect(error.message).toContain('must end between 2026-02-28 and 2026-03-10 (A6.5)');
    });

    it.each([
      ['ends with the month before submission', '2025-03-01', '2026-02-28', IN_WINDOW, true],
      ['ends the day before submission', '2025-03-10', '2026-03-09', IN_WINDOW, true],
      ['ends on the submission day', '2025-03-11', '2026-03-10', IN_WINDOW, true],
      ['ends two months before submission', '2025-02-01', '2026-01-31', IN_WINDOW, false],
      ['ends on 27 February, before the last month', '2025-02-28', '2026-02-27', IN_WINDOW, false],
      [
        'ended with February, submitted on 1 April',
        '2025-03-01',
        '2026-02-28',
        '2026-04-01T09:00:00+08:00',
        false,
      ],
      [
        'ends with March, submitted on 1 April',
        '2025-04-01',
        '2026-03-31',
        '2026-04-01T09:00:00+08:00',
        true,
      ],
      // 2026-03-31T16:30Z is 1 April in Asia/Shanghai: February is no longer the month before.
      [
        'ended with February, submitted 00:30 on 1 April Shanghai time',
        '2025-03-01',
        '2026-02-28',
        '2026-03-31T16:30:00Z',
        false,
      ],
      [
        'ended with February, submitted 23:30 on 31 March Shanghai time',
        '2025-03-01',
        '2026-02-28',
        '2026-03-31T15:30:00Z',
        true,
      ],
    ])('a period that %s: %s..%s at %s → submitted %s', (_, periodFrom, periodTo, at, accepted) => {
      const facts = { ...passingFacts(), activities: { count: 100, periodFrom, periodTo } };
      const run = () => given(given([]).when(draft({ facts }))).when({ ...submit, at } as ApplicationCommand);
      if (accepted) expect(run()).toHaveLength(1);
      else expect(run).toThrow(expect.objectContaining({ field: 'facts.activities.periodTo' }));
    });

    it('refuses activities declared after the submission date', () => {
      const facts = {
        ...passingFacts(),
        activities: { count: 100, periodFrom: '2025-04-01', periodTo: '2026-03-31' },
      };
      expect(() => given(given([]).when(draft({ facts }))).when(submit)).toThrow(
        expect.objectContaining({ field: 'facts.activities.periodTo' }),
      );
    });

    it('refuses to submit twice', () => {
      expect(() => given(submitted()).when(submit)).toThrow(
        'cannot submit application when application submitted',
      );
    });
  });

  describe('district office', () => {
    it('endorses and forwards a submitted application of its own unit', () => {
      const [e] = given(submitted()).when({ ...endorse, opinion: '同意推荐' } as ApplicationCommand);
      expect(e).toMatchObject({
        type: 'intake.application-endorsed',
        payload: { district: '南关区', revision: 1, opinion: '同意推荐' },
      });
    });

    it('returns with reasons', () => {
      const [e] = given(submitted()).when({
        kind: 'return-by-district',
        district: '南关区',
        at: IN_WINDOW,
        reasons: ['活动证明不足'],
      });
      expect(e).toMatchObject({
        type: 'intake.application-returned-by-district',
        payload: { reasons: ['活动证明不足'] },
      });
    });

    it('refuses a return without reasons', () => {
      expect(() =>
        given(submitted()).when({
          kind: 'return-by-district',
          district: '南关区',
          at: IN_WINDOW,
          reasons: [],
        }),
      ).toThrow(expect.objectContaining({ field: 'reasons' }));
    });

    it('answers an office of another unit as if the application did not exist, whatever its state', () => {
      const other = () => given(submitted()).when({ ...endorse, district: '朝阳区' } as ApplicationCommand);
      expect(other).toThrow(new NotFoundError('application'));
      const draft = () => given(drafted()).when({ ...endorse, district: '朝阳区' } as ApplicationCommand);
      expect(draft).toThrow(new NotFoundError('application'));
    });

    it('refuses to endorse a draft', () => {
      expect(() => given(drafted()).when(endorse)).toThrow(IllegalTransitionError);
    });
  });

  describe('bureau (A8 materials)', () => {
    it('accepts an endorsed application with complete materials, carrying the full facts and the decision', () => {
      const [e] = given(endorsed()).when(check());
      expect(e).toMatchObject({
        type: 'intake.application-accepted',
        payload: {
          applicationId: 'app-1',
          callId: 'call-2026',
          operatorAccountId: 'op-1',
          district: '南关区',
          revision: 1,
          facts: passingFacts(),
          materialsDecision: { rule: 'materials', outcome: { complete: true } },
        },
      });
    });

    it('returns for supplement naming the missing construction plan', () => {
      const [e] = given(endorsed()).when(check(['construction_plan']));
      expect(e).toMatchObject({
        type: 'intake.application-returned-for-supplement',
        payload: { missing: ['construction_plan'], reasons: ['缺少construction_plan，应退回补充'] },
      });
      expect(statusAfter([...endorsed(), e!])).toBe('returned-for-supplement');
    });

    it('returns for supplement by hand, with reasons', () => {
      const [e] = given(endorsed()).when({
        kind: 'return-for-supplement',
        at: IN_WINDOW,
        reasons: ['建设方案缺少资金计划'],
        missing: ['construction_plan'],
      });
      expect(e).toMatchObject({
        payload: { missing: ['construction_plan'], reasons: ['建设方案缺少资金计划'] },
      });
    });

    it('refuses a decision that is not the materials decision', () => {
      const wrong = { ...check(), materialsDecision: { ...materialsDecision([], []), rule: 'eligibility' } };
      expect(() => given(endorsed()).when(wrong as ApplicationCommand)).toThrow(
        expect.objectContaining({ field: 'materialsDecision' }),
      );
    });

    it('refuses to accept an application the district has not endorsed', () => {
      expect(() => given(submitted()).when(check())).toThrow(
        'cannot accept application when application submitted',
      );
    });

    it('refuses to accept twice', () => {
      expect(() => given(after(endorsed(), check())).when(check())).toThrow(
        'cannot accept application when application accepted',
      );
    });
  });

  describe('return, amend, resubmit', () => {
    it('takes a returned application through amendment and resubmission to acceptance, keeping history', () => {
      const events = after(
        endorsed(),
        check(['construction_plan']),
        { kind: 'amend', districtUnits: UNITS, materials: allMaterials() },
        { ...submit, at: '2026-03-20T09:00:00+08:00' } as ApplicationCommand,
        endorse,
        check(),
      );
      expect(events.map((e) => e.type)).toEqual([
        'intake.application-drafted',
        'intake.application-submitted',
        'intake.application-endorsed',
        'intake.application-returned-for-supplement',
        'intake.application-amended',
        'intake.application-submitted',
        'intake.application-endorsed',
        'intake.application-accepted',
      ]);
      expect(foldEvents(applicationDecider, events)).toMatchObject({
        status: 'accepted',
        revision: 2,
        returns: [{ by: 'bureau', revision: 1, missing: ['construction_plan'] }],
      });
    });

    it('resubmits after a district return as the next revision', () => {
      const events = after(submitted(), {
        kind: 'return-by-district',
        district: '南关区',
        at: IN_WINDOW,
        reasons: ['x'],
      });
      expect(given(events).when(submit)[0]).toMatchObject({ payload: { revision: 2 } });
    });
  });
});
