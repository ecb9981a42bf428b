import type { Actor } from '@nqpf/contracts';
import { conflictedAsShownTo, panelWorkAsShownTo } from './panel-view';

const bureau: Actor = { id: 'bureau-1', role: 'city_bureau' };
const auditor: Actor = { id: 'auditor-1', role: 'auditor' };
const operator: Actor = { id: 'op-1', role: 'operator', centerId: 'c-1' };
const office: Actor = { id: 'nanguan-1', role: 'district_office', district: '南关区' };
const expertA: Actor = { id: 'e-a', role: 'expert' };

const reviews = [
  { expertId: 'e-a', score: 90, opinion: '良好' },
  { expertId: 'e-b', score: 70, opinion: '一般' },
];
const verdicts = [{ expertId: 'e-b', inspectedOn: '2026-03-12', satisfactory: false }];

describe("the panel's work as each reader may read it (A9.1)", () => {
  it('shows the bureau and auditors every review as recorded', () => {
    expect(panelWorkAsShownTo(bureau, reviews)).toEqual(reviews);
    expect(panelWorkAsShownTo(auditor, verdicts)).toEqual(verdicts);
  });

  it('shows the center and its district office the scores and verdicts, not who wrote what', () => {
    for (const actor of [operator, office]) {
      expect(panelWorkAsShownTo(actor, reviews)).toEqual([
        { expertId: '(withheld)', score: 90, opinion: '(withheld)' },
        { expertId: '(withheld)', score: 70, opinion: '(withheld)' },
      ]);
      expect(panelWorkAsShownTo(actor, [{ ...verdicts[0], finding: '展示区未运行' }])).toEqual([
        { expertId: '(withheld)', inspectedOn: '2026-03-12', satisfactory: false, finding: '(withheld)' },
      ]);
    }
  });

  it('shows an expert their own work only, and adds no text a list row does not carry', () => {
    expect(panelWorkAsShownTo(expertA, reviews)).toEqual([reviews[0]]);
    expect(panelWorkAsShownTo(expertA, verdicts)).toEqual([]);
    const scores = panelWorkAsShownTo(operator, [{ expertId: 'e-a', score: 90 }]);
    expect(scores).toEqual([{ expertId: '(withheld)', score: 90 }]);
    expect(Object.keys(scores[0])).toEqual(['expertId', 'score']);
  });

  it('names the experts who declared a conflict after their assignment to the bureau and auditors only', () => {
    expect(conflictedAsShownTo(bureau, ['e-a'])).toEqual(['e-a']);
    expect(conflictedAsShownTo(auditor, ['e-a'])).toEqual(['e-a']);
    for (const actor of [operator, office, expertA]) expect(conflictedAsShownTo(actor, ['e-a'])).toEqual([]);
  });
});
