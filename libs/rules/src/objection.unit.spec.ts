import { inputErrorField } from './input-error-field.spec-helper';
import { decideObjectionAdmissible } from './objection';
import { defaultPolicy } from './policy/policy-registry';

const objection = (patch: Record<string, unknown> = {}) => ({
  receivedAt: '2026-02-03T10:00:00+08:00',
  publishedOn: '2026-01-30',
  publicityEndsAtExclusive: '2026-02-07T00:00:00+08:00',
  inWriting: true,
  realName: '张三',
  contact: '13800000000',
  ...patch,
});
const decide = (input: unknown) => decideObjectionAdmissible(input, defaultPolicy);

describe('objection admissibility (A9.4)', () => {
  it.each([
    ['in the period, written, named, reachable', objection(), true, []],
    ['on the publication day', objection({ receivedAt: '2026-01-30T00:00:00+08:00' }), true, []],
    ['at 23:59:59 of the last day', objection({ receivedAt: '2026-02-06T23:59:59+08:00' }), true, []],
    ['at 24:00 of the last day', objection({ receivedAt: '2026-02-06T16:00:00Z' }), false, ['A9.4:inPeriod']],
    ['before publication', objection({ receivedAt: '2026-01-29T23:59:59+08:00' }), false, ['A9.4:inPeriod']],
    [
      'anonymous and unreachable',
      objection({ realName: '', contact: undefined }),
      false,
      ['A9.4:realName', 'A9.4:contact'],
    ],
    ['by telephone', objection({ inWriting: false }), false, ['A9.4:inWriting']],
  ])('%s', (_name, input, admissible, failed) => {
    expect(decide(input).outcome).toEqual({ admissible, failed });
  });

  it.each([
    [objection({ receivedAt: '2026-02-03 10:00' }), 'receivedAt'],
    [objection({ publicityEndsAtExclusive: 'soon' }), 'publicityEndsAtExclusive'],
    [objection({ inWriting: 'yes' }), 'inWriting'],
    [objection({ publishedOn: '2026-01-32' }), 'publishedOn'],
  ])('rejects invalid input naming the field', (input, field) => {
    expect(inputErrorField(() => decide(input))).toBe(field);
  });
});
