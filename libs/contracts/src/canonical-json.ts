/**
 * JSON with object keys in code-point order at every depth and no whitespace, so the same value always
 * yields the same bytes: the input of the event hash chain, and of decisions compared byte for byte on
 * replay. Follows JSON.stringify otherwise (undefined members are left out, undefined array items become
 * null, toJSON is honoured). Values with no JSON form that survives a round trip — non-finite numbers,
 * bigint (money is a decimal string of fen), functions, symbols — are refused, naming their path.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, '$');
  if (out === undefined) throw new TypeError('canonicalJson: $ has no JSON form');
  return out;
}

function write(value: unknown, path: string): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON(): unknown }).toJSON(), path);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${path} = ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'undefined':
      return undefined;
    case 'bigint':
      throw new TypeError(
        `canonicalJson: ${path} is a bigint, which has no JSON form; encode it as a string`,
      );
    case 'function':
    case 'symbol':
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which has no JSON form`);
  }
  if (Array.isArray(value))
    return `[${value.map((item, i) => write(item, `${path}[${i}]`) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort(compareCodePoints)) {
    const member = write(record[key], `${path}.${key}`);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}

/** Sorting by UTF-16 units (the default) differs from code points for astral characters. */
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
