/** What a response to bad input must never be: a 5xx, not JSON, an error without its shape, or a leak. */
export function responseProblems(res: {
  status: number;
  headers: Record<string, string>;
  text: string;
}): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`status ${res.status}`);
  if (res.status >= 400) {
    if (!/application\/json/.test(res.headers['content-type'] ?? '')) {
      problems.push(`content-type ${res.headers['content-type'] ?? 'none'}`);
    } else {
      const body = parse(res.text);
      if (!body || body.statusCode !== res.status || typeof body.error !== 'string')
        problems.push(`error body not { statusCode, error, message }: ${res.text.slice(0, 200)}`);
      else if (typeof body.message !== 'string' || body.message.length === 0)
        problems.push(`error without a message: ${res.text.slice(0, 200)}`);
    }
  }
  if (/"stack"\s*:/.test(res.text)) problems.push('stack trace in the body');
  const leak = /(\/work\/|\/home\/|node_modules|\.ts:\d+|\.js:\d+|\bat \S+ \()/.exec(res.text);
  if (leak) problems.push(`internal detail in the body: ${leak[0]}`);
  return problems;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
