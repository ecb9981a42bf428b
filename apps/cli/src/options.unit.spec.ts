import { required, runCommand, type CommandLine } from './options';
import { runCaptured } from './run-captured.spec-helper';
import { UsageError } from './usage';

const USAGE = 'usage: nqpf demo take|give|keep [--item X …] [--to WHO] [--quiet]';

const DEMO = {
  name: 'demo',
  usage: USAGE,
  options: {
    item: { type: 'string', multiple: true },
    to: { type: 'string', only: ['give'] },
    quiet: { type: 'boolean', default: false, only: ['keep'] },
  },
  actions: ['take', 'give', 'keep'],
} as const;

type DemoLine = CommandLine<typeof DEMO.options, (typeof DEMO.actions)[number]>;

/** Runs `nqpf demo …` with a body that records what it was given and answers `code`. */
async function demo(args: string[], body: (line: DemoLine) => Promise<number> = async () => 0) {
  const seen: DemoLine[] = [];
  const result = await runCaptured(
    { run: (a) => runCommand(DEMO, a, (line) => (seen.push(line), body(line))) },
    args,
  );
  return { ...result, seen };
}

describe('runCommand', () => {
  it('hands the body the action and the values, repeated options in their order, and returns its code', async () => {
    const { code, seen } = await demo(['give', '--item', 'a', '--to', 'b', '--item', 'c'], async () => 7);
    expect(code).toBe(7);
    expect(seen).toEqual([
      { action: 'give', words: ['give'], values: { item: ['a', 'c'], to: 'b', quiet: false } },
    ]);
  });

  it.each([[['--help']], [['-h']], [['take', '--help']], [['give', '--to', 'b', '-h']]])(
    'prints the usage on stdout for %j and exits 0 without running the body',
    async (args) => {
      const { code, output, seen } = await demo(args);
      expect([code, output, seen]).toEqual([0, `${USAGE}\n`, []]);
    },
  );

  it.each([
    [[], 'give take, give or keep'],
    [['', '--to', 'b'], 'give take, give or keep'],
    [['drop'], "unknown action 'drop'"],
    // Help after words checks them first: a runbook line with a misspelt action fails its check.
    [['drop', '--help'], "unknown action 'drop'"],
    [['take', '--to', 'b', '--help'], '--to: only for give'],
    [['take', 'more'], "unexpected argument 'more'"],
    [['take', '--colour', 'red'], "Unknown option '--colour'"],
    [['take', '--item'], "Option '--item <value>' argument missing"],
    [['take', '--to', 'b'], '--to: only for give'],
    [['give', '--quiet'], '--quiet: only for keep'],
  ])(
    'refuses %j: the message, then the usage, on stderr; exit 2; the body not run',
    async (args, message) => {
      const { code, output, seen } = await demo(args);
      expect([code, seen]).toEqual([2, []]);
      expect(output.startsWith(`nqpf demo: ${message}`)).toBe(true);
      expect(output.endsWith(`\n${USAGE}\n`)).toBe(true);
    },
  );

  it('refuses an option out of place only when it is given, not for its default', async () => {
    expect((await demo(['take'])).code).toBe(0);
    expect((await demo(['keep', '--quiet'])).seen[0]?.values.quiet).toBe(true);
  });

  it("answers the body's UsageError with the message and the usage (exit 2), and lets other errors through", async () => {
    const refused = await demo(['take'], () => Promise.reject(new UsageError('--item: none left')));
    expect([refused.code, refused.output]).toEqual([2, `nqpf demo: --item: none left\n${USAGE}\n`]);
    await expect(demo(['take'], () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
  });

  it('takes no words without actions, unless told to: then hands them over as given', async () => {
    const plain = { name: 'plain', usage: 'usage: nqpf plain', options: {} };
    const refused = await runCaptured({ run: (args) => runCommand(plain, args, async () => 0) }, ['x']);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain("nqpf plain: Unexpected argument 'x'");
    let words: string[] = [];
    const free = { ...plain, words: true } as const;
    const run = (args: string[]) => runCommand(free, args, async (line) => ((words = line.words), 0));
    expect(await run(['subsidy', 'annual'])).toBe(0);
    expect(words).toEqual(['subsidy', 'annual']);
  });
});

describe('required', () => {
  it('gives the value back when there is one', () => {
    expect(required('5', 'score')).toBe('5');
    expect(required(['1', '2'], 'offset')).toEqual(['1', '2']);
  });

  it.each([undefined, '', []])('refuses %j as a UsageError naming the option and what it is for', (value) => {
    expect(() => required(value, 'out', 'to take heads')).toThrow(
      new UsageError('--out is required to take heads'),
    );
    expect(() => required(value, 'role')).toThrow(new UsageError('--role is required'));
  });
});
