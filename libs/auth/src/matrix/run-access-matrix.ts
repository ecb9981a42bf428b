import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Denial, observeDenials } from '../access/denial-log';
import { DevIdentitySource } from '../dev-identity/dev-identity-source';
import { DevTokenRequest, mintDevToken } from '../dev-identity/mint-dev-token';
import { TokenRole } from '../roles';
import { ACCESS_COLUMNS, AccessColumn, AccessRow } from './parse-access-table';

export interface AccessMatrixOptions {
  /** The key the app under test trusts (AuthModule config devIdentity), e.g. `{ seed: 'matrix' }`. */
  devIdentity: DevIdentitySource;
  /** Only rows of this service. */
  service?: string;
  /** Claims per role (defaults: district 南关区 for district_office, center "matrix-center" for operator). */
  actors?: Partial<Record<TokenRole, Partial<DevTokenRequest>>>;
  /**
   * Path parameters (`:id` …) for a role: `own` names an object within the role's scope, `other` an existing
   * one outside it. Required for `own` and `self` cells; unfilled parameters get a placeholder UUID. The parameters in
   * which `other` differs from `own` name the object: replaced by ids that name nothing, they give the
   * unknown object an `own` cell's other object is compared with.
   */
  params?: (row: AccessRow, role: AccessColumn, which: 'own' | 'other') => Record<string, string> | undefined;
  /** Body for non-GET requests (default `{}`); a 400 still proves the request got past authorisation. */
  body?: (row: AccessRow) => object;
}

type Expected = 'through' | 401 | 403 | 404;

export interface AccessMatrixCheck {
  row: AccessRow;
  column: AccessColumn;
  variant: 'own' | 'other' | 'unknown' | 'route';
  expected: Expected;
  status: number;
  ok: boolean;
  note?: string;
}

export class AccessMatrixError extends Error {
  override readonly name = 'AccessMatrixError';
  constructor(readonly failures: AccessMatrixCheck[]) {
    super(
      `access matrix: ${failures.length} cell(s) disagree with the table\n` +
        failures
          .map(
            (f) =>
              `  line ${f.row.line} ${f.row.method} ${f.row.path} as ${f.column} (${f.variant}): ` +
              `expected ${f.expected}, got ${f.status}${f.note ? ` — ${f.note}` : ''}`,
          )
          .join('\n'),
    );
  }
}

const PLACEHOLDER = '00000000-0000-7000-8000-000000000000';

/**
 * Calls every row as every role with a dev token (public: no token) and compares with the table: `allow` must
 * pass authorisation (any status but 401/403 and "no such route", and no denial logged — an object refused as
 * out of scope answers 404 but logs `access_denied`), `deny` must give 403 (401 for public), `own`
 * must pass on the role's own object and answer another's exactly as an unknown id: 404, the same body (the
 * ids in the path aside), so that the answer does not tell whether it exists, and log that hidden refusal
 * (`access_denied`, status 404); `self` must pass on the caller's own id and give 403 on another, logged. Throws AccessMatrixError listing every disagreement; resolves to
 * all checks.
 */
export async function runAccessMatrix(
  app: INestApplication,
  rows: AccessRow[],
  options: AccessMatrixOptions,
): Promise<AccessMatrixCheck[]> {
  const { default: request } = await import('supertest');
  const server = app.getHttpServer();
  const selected = rows.filter((r) => !options.service || r.service === options.service);
  if (selected.length === 0)
    throw new Error(`access matrix: no rows for service ${options.service ?? '(any)'}`);
  const checks: AccessMatrixCheck[] = [];

  for (const row of selected) {
    for (const column of ACCESS_COLUMNS) {
      const cell = row.access[column];
      const token = column === 'public' ? undefined : await tokenFor(column, options);
      const send = (params: Record<string, string> | undefined) => {
        const path = fillPath(row.path, params);
        let req = request(server)[row.method.toLowerCase() as 'get'](path);
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        if (row.method !== 'GET' && row.method !== 'HEAD') req = req.send(options.body?.(row) ?? {});
        return req;
      };
      /** `logged`: the refusal must also be logged as a denial with that status (docs/security.md). */
      const check = async (
        params: Record<string, string> | undefined,
        variant: AccessMatrixCheck['variant'],
        expected: Expected,
        logged?: 403 | 404,
      ) => {
        // A refusal the answer hides (out of scope, a 404 like an unknown id's) shows in the denial log.
        const denials: Denial[] = [];
        const stop = observeDenials((denial) => denials.push(denial));
        let res: Awaited<ReturnType<typeof send>>;
        try {
          res = await send(params);
        } finally {
          stop();
        }
        const routeMissing = res.status === 404 && /^Cannot /.test(String(res.body?.message));
        const refused = expected === 'through' ? denials[0] : undefined;
        const unlogged =
          logged !== undefined && res.status === logged && !denials.some((d) => d.status === logged);
        const ok =
          !routeMissing &&
          !unlogged &&
          (expected === 'through'
            ? res.status !== 401 && res.status !== 403 && !refused
            : res.status === expected);
        const note = routeMissing
          ? 'no such route'
          : refused
            ? `refused: access_denied ${refused.status} (${refused.reason})`
            : unlogged
              ? `refused without logging access_denied ${logged}`
              : undefined;
        checks.push({ row, column, variant, expected, status: res.status, ok, note });
        return res;
      };
      const paramsOf = (which: 'own' | 'other') => options.params?.(row, column, which);
      if (cell === 'deny') {
        await check(paramsOf('own'), 'route', column === 'public' ? 401 : 403);
      } else if (cell === 'own' || cell === 'self') {
        if (!options.params) {
          const note = `${cell} cell needs options.params`;
          checks.push({ row, column, variant: 'own', expected: 'through', status: 0, ok: false, note });
          continue;
        }
        if (cell === 'self') {
          await check(paramsOf('own'), 'own', 'through');
          await check(paramsOf('other'), 'other', 403, 403);
          continue;
        }
        const own = paramsOf('own') ?? {};
        const other = paramsOf('other') ?? {};
        const unknown = Object.fromEntries(
          Object.entries(other).map(([name, value]) => [name, value === own[name] ? value : randomUUID()]),
        );
        await check(own, 'own', 'through');
        const hidden = await check(other, 'other', 404, 404);
        const absent = await check(unknown, 'unknown', 404);
        // The same answer but for the ids the caller sent, which it may see again.
        const [shown, unknownShown] = [answerOf(hidden, other), answerOf(absent, unknown)];
        if (shown !== unknownShown) {
          const note = `answered ${shown}, an unknown id ${unknownShown}`;
          checks.push({
            row,
            column,
            variant: 'other',
            expected: 404,
            status: hidden.status,
            ok: false,
            note,
          });
        }
      } else {
        await check(paramsOf('own'), 'route', 'through');
        // "allow" means any object, so one outside the role's scope must pass too.
        if (options.params) await check(paramsOf('other'), 'other', 'through');
      }
    }
  }
  const failures = checks.filter((c) => !c.ok);
  if (failures.length > 0) throw new AccessMatrixError(failures);
  return checks;
}

async function tokenFor(role: TokenRole, options: AccessMatrixOptions): Promise<string> {
  const defaults: Partial<DevTokenRequest> =
    role === 'district_office'
      ? { district: '南关区' }
      : role === 'operator'
        ? { centerId: 'matrix-center' }
        : {};
  return mintDevToken(
    { sub: `matrix-${role}`, ...defaults, ...options.actors?.[role], role },
    options.devIdentity,
  );
}

/**
 * Status, body and version ETag of an answer, each path parameter's value written as its name. Express's
 * weak ETag is a hash of the body, compared with it.
 */
function answerOf(
  res: { status: number; text: string; headers: Record<string, unknown> },
  params: Record<string, string>,
): string {
  let text = res.text;
  for (const [name, value] of Object.entries(params)) text = text.split(value).join(`:${name}`);
  const etag = res.headers['etag'];
  return `${res.status} ${text}${typeof etag === 'string' && !etag.startsWith('W/') ? ` ETag ${etag}` : ''}`;
}

function fillPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) =>
    encodeURIComponent(params?.[name] ?? PLACEHOLDER),
  );
}
