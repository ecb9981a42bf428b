import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  NestInterceptor,
  UnprocessableEntityException,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Pool } from 'pg';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { Actor } from '@nqpf/contracts';
import { unsafeInput } from '@nqpf/auth';
import { InvalidInputError } from '@nqpf/domain';
import { canonicalJson } from '@nqpf/event-store';
import { PG_POOL } from '../tokens';
import { UnitOfWork } from '../unit-of-work';
import { IdempotencyStore, StoredResponse } from './idempotency.store';

const HEADER = 'idempotency-key';

/**
 * A command retried with the same Idempotency-Key returns the first result and appends nothing: the key's
 * record commits in the same transaction as the command's events. A concurrent duplicate that fails
 * (on the key's primary key, or in the command because the first one changed the state) rolls back and
 * answers with the winner's stored response. Reusing a key for a different request is refused (422), except
 * without a token, where the key is scoped to the request itself.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly uow: UnitOfWork,
    private readonly store: IdempotencyStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const key = req.header(HEADER);
    if (key === undefined || req.method === 'GET') return next.handle();
    if (!KEY_FORMAT.test(key))
      throw new InvalidInputError(
        'Idempotency-Key',
        'must be 1 to 200 visible ASCII characters (e.g. a UUID), without spaces',
      );
    const res = context.switchToHttp().getResponse<Response>();
    const requestHash = createHash('sha256').update(requestText(req)).digest('hex');
    // Callers without a token (objections) share no identity: their keys are kept per request, so two
    // people choosing the same key never get each other's answer, and a retry is still answered once.
    // With one, keys are per identity and the role it acts in, with that role's scope: a key used acting
    // as the bureau is not answered to the same person acting as a district office.
    // Records of the release before keyed by the identity alone are still answered, for one retention
    // period (a retry across the upgrade must not run its command again). Remove after 2026-12-31.
    const actorIds = req.actor ? [actingAs(req.actor), req.actor.id] : [`anonymous:${requestHash}`];
    // Nest sets the status after interceptors run; the stored response needs the one it will send.
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ??
      (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const run = () => lastValueFrom(next.handle(), { defaultValue: undefined });
    return from(this.handle(key, actorIds, requestHash, status, res, run));
  }

  private async handle(
    key: string,
    [actorId, ...legacyIds]: string[],
    requestHash: string,
    status: number,
    res: Response,
    run: () => Promise<unknown>,
  ): Promise<unknown> {
    const replay = (stored: StoredResponse) => {
      if (stored.requestHash !== requestHash)
        throw new UnprocessableEntityException(`${HEADER}: already used for a different request`);
      res.status(stored.status).setHeader('Idempotent-Replayed', 'true');
      return stored.body;
    };
    const find = async () => {
      for (const id of [actorId!, ...legacyIds]) {
        const stored = await this.store.find(this.pool, id, key);
        if (stored) return stored;
      }
      return undefined;
    };
    const earlier = await find();
    if (earlier) return replay(earlier);
    try {
      return await this.uow.run(async (tx) => {
        const body = await run();
        await this.store.save(tx, actorId!, key, { requestHash, status, body });
        return body;
      });
    } catch (err) {
      // A concurrent duplicate that committed first makes this one fail: on the key's primary key (23505),
      // or earlier, in the command itself (a version conflict, a state that no longer allows it). Either
      // way the client asked once, and gets the answer its first request got.
      const winner = await find();
      if (!winner) throw err;
      return replay(winner);
    }
  }
}

const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;

function actingAs(actor: Actor): string {
  return [actor.id, actor.role, actor.district ?? '', actor.centerId ?? ''].join('|');
}

/**
 * What the key's request is compared by: method, path and body, canonical. Hashed before the validation
 * pipe runs, so input it would refuse is refused here too, as its 400 `invalid_input` naming where (not a
 * 500 in the hash).
 */
function requestText(req: Request): string {
  const body: unknown = req.body ?? null;
  const problem = unsafeInput(body, 'body');
  if (problem) throw problem;
  try {
    return canonicalJson({ method: req.method, path: req.originalUrl, body });
  } catch (err) {
    throw unhashable(err as Error);
  }
}

/**
 * canonicalJson's refusal (`canonicalJson: $.body.items[0].n = Infinity is not a finite number`; from a
 * JSON body only a number too large for a double, 1e400) as a 400 naming the body's field as the
 * validation pipe does (`items.0.n`).
 */
function unhashable(err: Error): InvalidInputError {
  const [, path = '', rule = 'has no JSON form'] =
    /^canonicalJson: \$\.body(\S*?)(?: = \S+)? (is .*|has .*)$/.exec(err.message) ?? [];
  const field = path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '') || 'body';
  return new InvalidInputError(field, rule);
}
