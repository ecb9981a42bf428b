import { UnauthenticatedError } from '../errors';

/** The token of `Authorization: Bearer <token>`; undefined when the header is absent. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer +([^\s]+) *$/i.exec(value ?? '');
  if (!match) throw new UnauthenticatedError('malformed authorization header', 'expected "Bearer <token>"');
  return match[1];
}
