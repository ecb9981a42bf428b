import * as audit from './commands/audit';
import * as groups from './commands/groups';
import * as outbox from './commands/outbox';
import * as rebuild from './commands/rebuild';
import * as rules from './commands/rules';
import * as token from './commands/token';
import { runCaptured } from './run-captured.spec-helper';

describe('invalid command lines', () => {
  it.each([
    ['audit', audit, ['verify']],
    ['groups', groups, ['list']],
    ['outbox', outbox, ['status']],
    ['rebuild', rebuild, []],
    ['rules', rules, ['grade']],
    ['token', token, []],
  ])('nqpf %s: an unknown option exits 2 naming it, with the usage', async (name, command, args) => {
    const { code, output } = await runCaptured(command, [...args, '--no-such-option']);
    expect(code).toBe(2);
    expect(output).toContain(`nqpf ${name}: `);
    expect(output).toContain("'--no-such-option'");
    expect(output).toContain('usage: nqpf');
  });
});
