import { makeDecision, reason } from './decision';
import { formatDecisionTable } from './decision-table';
import { RULESET_VERSION } from './version';

describe('decision table', () => {
  it('lists versions, the flat outcome and one row per reason with both sentences', () => {
    const text = formatDecisionTable(
      makeDecision({
        rule: 'demo',
        policyVersion: 'p1',
        calendarVersion: 'cn-2026.1',
        inputs: {},
        outcome: { ok: false, failed: [], nested: { skipped: true }, note: null },
        reasons: [
          reason('A1', 'first', ['a', 'b'], null, true, '甲', 'one'),
          reason('A2', 'second', { x: 1 }, 'y'.repeat(50), false, '乙', 'two'),
        ],
      }),
    );
    expect(text.split('\n')).toEqual([
      `demo  (${RULESET_VERSION}  p1  cn-2026.1)`,
      'outcome: ok=false  failed=-  note=-',
      '',
      'rule  criterion  measured  threshold                                 result',
      'A1    first      a,b       -                                         pass',
      '    one',
      '    甲',
      `A2    second     {"x":1}   ${'y'.repeat(37)}...  FAIL`,
      '    two',
      '    乙',
    ]);
  });

  it('shows a scalar outcome as it is', () => {
    const text = formatDecisionTable(
      makeDecision({ rule: 'r', policyVersion: 'p', inputs: 1, outcome: 42, reasons: [] }),
    );
    expect(text).toContain('outcome: 42');
  });
});
