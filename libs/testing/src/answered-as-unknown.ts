import { uuidv7 } from '@nqpf/contracts';
import type { Test } from 'supertest';

/**
 * A request's answer as far as it could differ between two ids — status, the version's ETag, whether an
 * idempotent answer was replayed, the body — with the id it names written as `:id`. (Express's weak ETag is a
 * hash of the body, compared with it.)
 */
export async function answerWithoutId(id: string, send: (id: string) => Test) {
  const res = await send(id);
  const etag: string | undefined = res.headers.etag;
  return {
    status: res.status,
    version: etag?.startsWith('W/') ? undefined : etag,
    replayed: res.headers['idempotent-replayed'],
    body: JSON.parse(JSON.stringify(res.body).split(id).join(':id')),
  };
}

/**
 * docs/security.md, "Out of scope reads as absent": a request on an object outside the caller's scope is
 * answered exactly as one on an id that names nothing — the same 404, the same body (the id aside).
 */
export async function expectAnsweredAsUnknown(otherId: string, send: (id: string) => Test): Promise<void> {
  const existing = await answerWithoutId(otherId, send);
  expect(existing.status).toBe(404);
  expect(existing).toEqual(await answerWithoutId(uuidv7(), send));
}
