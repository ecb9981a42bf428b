import { InvalidInputError } from '@nqpf/domain';

/** Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last a check character. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

/** Normalises (full-width, spaces, case) and checks the code; names the field when it is not valid. */
export function requireCreditCode(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new InvalidInputError(field, 'must be a unified social credit code');
  const code = value.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code))
    throw new InvalidInputError(field, `must be 18 characters of GB 32100-2015, got '${value}'`);
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17])
    throw new InvalidInputError(field, `check character of '${value}' is wrong`);
  return code;
}
