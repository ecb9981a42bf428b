import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPolicy } from '@nqpf/rules';
import { run } from './rules';

const root = path.resolve(__dirname, '../../../..');
const example = (name: string) => path.join(root, 'libs/rules/examples', name);

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await run(args), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('nqpf rules', () => {
  it('prints an eligibility decision for the eligible example as JSON', async () => {
    const { code, out } = await capture(['eligibility', '--file', example('eligible-application.json')]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ rule: 'eligibility', outcome: { eligible: true, failed: [] } });
  });

  it.each([
    ['ineligible-area.json', ['A6.1:buildingArea']],
    ['ineligible-broker-share.json', ['A6.4:staffInPost', 'A6.4:brokerShare']],
    ['ineligible-duplicate-institution.json', ['A6.3:institutions']],
    [
      'ineligible-several-criteria.json',
      ['A6.2:services', 'A6.3:strategicCooperation', 'A6.4:operator', 'A6.5:activities'],
    ],
  ])('reports why %s is ineligible', async (file, failed) => {
    const { code, out } = await capture(['eligibility', '--file', example(file)]);
    expect(code).toBe(0);
    expect(JSON.parse(out).outcome.failed).toEqual(failed);
  });

  it('prints a readable table with --pretty', async () => {
    const { out } = await capture([
      'eligibility',
      '--file',
      example('ineligible-broker-share.json'),
      '--pretty',
    ]);
    expect(out).toContain('outcome: eligible=false  failed=A6.4:staffInPost,A6.4:brokerShare');
    expect(out).toMatch(/A6\.4\s+brokerShare\s+4\/9 = 44\.4%\s+>= 1\/2 = 50%\s+FAIL/);
  });

  it.each([
    [
      ['materials', '--file', example('materials-missing-agreement.json')],
      { complete: false, missing: ['co_construction_agreement'] },
    ],
    [
      ['publicity-end', '--date', '2026-01-30'],
      { lastDay: '2026-02-06', endsAtExclusive: '2026-02-07T00:00:00+08:00' },
    ],
    [['publicity-end', '--date', '2026-01-30', '--days', '6'], { lastDay: '2026-02-09' }],
    [['subsidy', 'year1', '--approved-fen', '700000000'], { amountFen: '300000000', capped: true }],
    [['subsidy', 'annual', '--grade', '良好'], { amountFen: '75000000' }],
    [['subsidy', 'annual', '--grade', '合格', '--support-year', '3'], { amountFen: '50000000' }],
    [['grade', '--score', '85'], { grade: '良好' }],
    [
      ['expenditure', '--file', example('expenditure-sponsorship.json')],
      { accepted: false, rejectedFor: ['A13:forbiddenUse'] },
    ],
    [['expenditure', '--file', example('expenditure-rent.json')], { accepted: true }],
    [['major-change', '--file', example('major-change-area-reduced.json')], { revoke: true }],
    [['operating-deadline', '--recognized', '2026-03-10', '--started', '2028-03-11'], { revoke: true }],
    [
      [
        'operating-deadline',
        '--recognized',
        '2026-03-10',
        '--started',
        '2028-03-10',
        '--declared',
        '2028-03-11',
      ],
      { accepted: true, declarationsCloseOn: '2028-03-25' },
    ],
    [
      [
        'operating-deadline',
        '--recognized',
        '2026-03-10',
        '--started',
        '2028-03-10',
        '--declared',
        '2028-03-26',
      ],
      { accepted: false },
    ],
  ])('nqpf rules %j', async (args, outcome) => {
    const { code, out } = await capture(args);
    expect(code).toBe(0);
    expect(JSON.parse(out).outcome).toMatchObject(outcome);
  });

  it.each([
    [['grade', '--score', '101'], 'score'],
    [['grade'], '--score is required'],
    [['publicity-end', '--date', '2026-02-30'], 'publishedOn'],
    [['publicity-end', '--date', '2026-01-30', '--days', 'five'], '--days'],
    [['subsidy', 'annual', '--grade', 'A'], 'previousYearGrade'],
    [['subsidy', 'monthly'], "expected 'year1' or 'annual'"],
    [['subsidy', 'year1', '--approved-fen=-5'], 'approvedCostsFen'],
    [['eligibility', '--file', '/nonexistent/application.json'], 'cannot read'],
    [['divination'], "unknown decision 'divination'"],
    [['grade', '--sore', '85'], "Unknown option '--sore'"],
    [[], 'usage: nqpf rules'],
  ])('exits 2 on invalid input %j, naming the field', async (args, message) => {
    const { code, out, err } = await capture(args);
    expect(code).toBe(2);
    expect(out + err).toContain(message);
  });

  it('exits 2 naming the field for a malformed input file and for a bad policy file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-rules-'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({
        materials: [
          {
            kind: 'application_form',
            fileName: 'a.pdf',
            mediaType: 'application/pdf',
            sizeBytes: 1,
            sha256: 'x',
          },
        ],
      }),
    );
    expect((await capture(['materials', '--file', bad])).err).toContain('materials[0].sha256');
    fs.writeFileSync(bad, '{not json');
    expect((await capture(['materials', '--file', bad])).err).toContain('not valid JSON');
    const policy = path.join(dir, 'policy.json');
    fs.writeFileSync(policy, JSON.stringify({ version: 'p' }));
    const result = await capture(['grade', '--score', '85', '--policy', policy]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('policy.effectiveFrom');
  });

  it('exits 1 when the calendar does not cover the year, and loads a published year with --calendar-year', async () => {
    const uncovered = await capture(['publicity-end', '--date', '2026-12-28']);
    expect(uncovered.code).toBe(1);
    expect(uncovered.err).toContain('does not cover 2027');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-rules-'));
    const year = path.join(dir, 'cn-2027.json');
    fs.writeFileSync(
      year,
      JSON.stringify({
        country: 'CN',
        year: 2027,
        version: 'cn-2027.t',
        holidays: [{ date: '2027-01-01', name: '元旦' }],
        adjustedWorkingDays: [],
      }),
    );
    const covered = await capture(['publicity-end', '--date', '2026-12-28', '--calendar-year', year]);
    expect(covered.code).toBe(0);
    expect(JSON.parse(covered.out)).toMatchObject({
      calendarVersion: 'cn-2026.1+cn-2027.t',
      outcome: { lastDay: '2027-01-05' },
    });
  });

  it('replays a recorded decision: exit 0 when identical, 1 when it differs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-rules-'));
    const recorded = path.join(dir, 'decision.json');
    fs.writeFileSync(recorded, (await capture(['grade', '--score', '85'])).out);
    expect((await capture(['replay', '--file', recorded])).code).toBe(0);
    const tampered = JSON.parse(fs.readFileSync(recorded, 'utf8'));
    tampered.outcome.grade = '优秀';
    fs.writeFileSync(recorded, JSON.stringify(tampered));
    const result = await capture(['replay', '--file', recorded]);
    expect(result.code).toBe(1);
    expect(result.err).toBe('replay: DIFFERS from the recorded decision: replay differs in outcome\n');
    fs.writeFileSync(recorded, JSON.stringify({ ...tampered, rulesetVersion: 'rules-2019.1' }));
    expect((await capture(['replay', '--file', recorded])).err).toMatch(
      /^replay: DIFFERS from the recorded decision: recorded under rule-set version 'rules-2019.1'; this build holds only/,
    );
    // A file that holds no decision at all is a mistake in the command (2).
    fs.writeFileSync(recorded, '[]');
    expect((await capture(['replay', '--file', recorded])).code).toBe(2);
  });

  it('says DIFFERS, exit 1, for a tampered decision its rule cannot re-run (invalid inputs, unknown rule, parts missing)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-rules-'));
    const recorded = path.join(dir, 'decision.json');
    const grade = JSON.parse((await capture(['grade', '--score', '85'])).out);
    const replay = async (decision: unknown) => {
      fs.writeFileSync(recorded, JSON.stringify(decision));
      const { code, out, err } = await capture(['replay', '--file', recorded]);
      return { code, out, err };
    };
    expect(await replay({ ...grade, inputs: { score: '185' } })).toEqual({
      code: 1,
      out: '',
      err: expect.stringMatching(/^replay: DIFFERS from the recorded decision: cannot replay: .*score/),
    });
    expect(await replay({ ...grade, rule: 'no-such-rule' })).toEqual({
      code: 1,
      out: '',
      err: expect.stringMatching(
        /^replay: DIFFERS from the recorded decision: cannot replay: no decision named 'no-such-rule'/,
      ),
    });
    const { inputs: _inputs, ...stripped } = grade;
    expect(await replay(stripped)).toEqual({
      code: 1,
      out: '',
      err: 'replay: DIFFERS from the recorded decision: not a whole decision record (lacks inputs)\n',
    });
    // Still the command's mistakes (2): a policy it was not given, a policy file that is not one.
    expect((await replay({ ...grade, policyVersion: 'policy-2030.1' })).code).toBe(2);
    const policy = path.join(dir, 'policy.json');
    fs.writeFileSync(policy, JSON.stringify({ version: 'p' }));
    fs.writeFileSync(recorded, JSON.stringify(grade));
    const badPolicy = await capture(['replay', '--file', recorded, '--policy', policy]);
    expect([badPolicy.code, badPolicy.err]).toEqual([2, expect.stringContaining('policy.effectiveFrom')]);
  });

  it('replays a decision taken under a published policy with that policy from --policy, or names it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-rules-'));
    const published = { ...defaultPolicy, version: 'policy-2027.1', effectiveFrom: '2027-01-01' };
    const policy = path.join(dir, 'policy.json');
    fs.writeFileSync(policy, JSON.stringify(published));
    const recorded = path.join(dir, 'decision.json');
    fs.writeFileSync(recorded, (await capture(['grade', '--score', '85', '--policy', policy])).out);
    const withoutIt = await capture(['replay', '--file', recorded]);
    expect(withoutIt.code).toBe(2);
    expect(withoutIt.err).toContain("no policy with version 'policy-2027.1' is known: give it with --policy");
    expect((await capture(['replay', '--file', recorded, '--policy', policy])).code).toBe(0);
    // finance's GET /policies answer, every version in one array, as it comes.
    const list = path.join(dir, 'policies.json');
    fs.writeFileSync(list, JSON.stringify([defaultPolicy, published]));
    const fromList = await capture(['replay', '--file', recorded, '--policy', list]);
    expect([fromList.code, fromList.err]).toEqual([0, 'replay: identical\n']);
  });

  it('prints usage with --help', async () => {
    const { code, out } = await capture(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('publicity-end');
  });

  it('works through the real bin, including JSON on stdin', () => {
    const bin = path.join(root, 'apps/cli/bin/nqpf.js');
    const out = execFileSync('node', [bin, 'rules', 'publicity-end', '--date', '2026-01-30'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out).outcome.lastDay).toBe('2026-02-06');
    const piped = spawnSync('node', [bin, 'rules', 'eligibility'], {
      cwd: root,
      input: fs.readFileSync(example('ineligible-area.json')),
      encoding: 'utf8',
    });
    expect(piped.status).toBe(0);
    expect(JSON.parse(piped.stdout).outcome.failed).toEqual(['A6.1:buildingArea']);
    const invalid = spawnSync('node', [bin, 'rules', 'grade', '--score', 'abc'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('score');
  });
});
