/** The parts of a request pino-http's standard serializer gives (pino-std-serializers' req). */
interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
}

/** Headers that describe the body, not who sent it. */
const LOGGED_HEADERS = ['content-type', 'content-length'] as const;

/**
 * What the per-request log line keeps of a request: its id, method, URL and body headers. Left out on every
 * route: the client's address and port, User-Agent, X-Forwarded-For, Forwarded and the rest, which tie an
 * anonymous caller (a public objector) to the candidacy and the second of the event. A denial is logged with
 * its actor (`access_denied`), and the rate limiter keeps its own short-lived counters.
 */
export function requestLogView(req: SerializedRequest): SerializedRequest {
  const headers: Record<string, unknown> = {};
  for (const name of LOGGED_HEADERS) if (req.headers?.[name] !== undefined) headers[name] = req.headers[name];
  return { id: req.id, method: req.method, url: req.url, headers };
}
