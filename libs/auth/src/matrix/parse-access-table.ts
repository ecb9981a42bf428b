import { TOKEN_ROLES, TokenRole } from '../roles';

export const ACCESS_COLUMNS = [...TOKEN_ROLES, 'public'] as const;
export type AccessColumn = TokenRole | 'public';
/**
 * allow: the guard lets it through; deny: 403 (401 for public); own: allowed on the actor's own objects only,
 * another's answered as an unknown id (404); self: the path names the caller (`/experts/:expertId` is the
 * token's `sub`), allowed on their own id only, any other 403 — compared with the token, it names no object.
 */
export type AccessCell = 'allow' | 'deny' | 'own' | 'self';

export interface AccessRow {
  service: string;
  method: string;
  path: string;
  access: Record<AccessColumn, AccessCell>;
  /** 1-based line in the markdown, for error messages. */
  line: number;
}

const HEADER = ['service', 'method', 'path', ...ACCESS_COLUMNS];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const CELLS = new Set<AccessCell>(['allow', 'deny', 'own', 'self']);

/** Malformed access table; the message names the line and the cell. */
export class AccessTableError extends Error {
  override readonly name = 'AccessTableError';
}

/**
 * Every markdown table whose header is `service | method | path | city_bureau | district_office | operator |
 * expert | finance_officer | auditor | public`, in that order, read into rows (other tables are ignored).
 * Backticks around cells are allowed.
 */
export function parseAccessTable(markdown: string): AccessRow[] {
  const lines = markdown.split(/\r?\n/);
  const rows: AccessRow[] = [];
  let tables = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!isHeader(cellsOf(lines[i]))) continue;
    tables++;
    if (!/^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) {
      throw new AccessTableError(`line ${i + 2}: expected the |---| separator under the access table header`);
    }
    for (i += 2; i < lines.length && lines[i].trim().startsWith('|'); i++)
      rows.push(rowOf(cellsOf(lines[i]), i + 1));
  }
  if (tables === 0) throw new AccessTableError(`no access table (header: ${HEADER.join(' | ')})`);
  const seen = new Set<string>();
  for (const row of rows) {
    const key = `${row.service} ${row.method} ${row.path}`;
    if (seen.has(key)) throw new AccessTableError(`line ${row.line}: duplicate row ${key}`);
    seen.add(key);
  }
  return rows;
}

function cellsOf(line: string): string[] {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|')) return [];
  return trimmed
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) =>
      c
        .trim()
        .replace(/^`(.*)`$/, '$1')
        .trim(),
    );
}

function isHeader(cells: string[]): boolean {
  return cells.length === HEADER.length && cells.every((c, i) => c.toLowerCase() === HEADER[i]);
}

function rowOf(cells: string[], line: number): AccessRow {
  if (cells.length !== HEADER.length) {
    throw new AccessTableError(`line ${line}: expected ${HEADER.length} cells, found ${cells.length}`);
  }
  const [service, rawMethod, path, ...rest] = cells;
  const method = rawMethod.toUpperCase();
  if (!/^[a-z][a-z0-9-]*$/.test(service))
    throw new AccessTableError(`line ${line}: service "${service}" is not a name`);
  if (!METHODS.has(method))
    throw new AccessTableError(`line ${line}: method "${rawMethod}" is not an HTTP method`);
  if (!path.startsWith('/')) throw new AccessTableError(`line ${line}: path "${path}" must start with /`);
  const access = {} as Record<AccessColumn, AccessCell>;
  ACCESS_COLUMNS.forEach((column, i) => {
    const cell = rest[i].toLowerCase() as AccessCell;
    if (!CELLS.has(cell)) {
      throw new AccessTableError(
        `line ${line}: ${column} cell "${rest[i]}" must be allow, deny, own or self`,
      );
    }
    if (column === 'public' && (cell === 'own' || cell === 'self')) {
      throw new AccessTableError(`line ${line}: public cell cannot be "${cell}" (the public owns nothing)`);
    }
    access[column] = cell;
  });
  return { service, method, path, access, line };
}
