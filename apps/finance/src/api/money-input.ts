import { InvalidInputError } from '@nqpf/domain';
import { Money } from '../domain/money/money';

/** An amount as the API accepts it: fen (digits or a whole number) or yuan (at most two decimals). */
export interface MoneyInput {
  amountFen?: string | number;
  amountYuan?: string | number;
}

/**
 * Exactly one of `<prefix>Fen` / `<prefix>Yuan`, parsed exactly (Money.parseFen / parseYuan); anything
 * else is refused naming the field.
 */
export function moneyFrom(body: object, prefix = 'amount', path = ''): Money {
  const fenField = `${prefix}Fen`;
  const yuanField = `${prefix}Yuan`;
  const record = body as Record<string, unknown>;
  const fen = record[fenField];
  const yuan = record[yuanField];
  if ((fen === undefined) === (yuan === undefined))
    throw new InvalidInputError(`${path}${fenField}`, `give exactly one of ${fenField} or ${yuanField}`);
  return fen !== undefined
    ? Money.parseFen(fen, `${path}${fenField}`)
    : Money.parseYuan(yuan, `${path}${yuanField}`);
}
