import type { Actor } from '@nqpf/contracts';
import type { Request } from 'express';
import { Identity } from '../identity/identity';

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
  identity?: Identity;
}

/** "GET /applications/:id" — the route pattern when matched, for logs. */
export function routeOf(req: Request): string {
  const pattern = (req.route as { path?: string } | undefined)?.path;
  return `${req.method} ${typeof pattern === 'string' ? pattern : req.path}`;
}
