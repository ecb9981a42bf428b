import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AuthLogger } from '../access/denial-log';
import { bodyLimitBytes, RouteBodyLimit, SecurityConfig } from '../config/security-config';
import { ACTING_ROLE_HEADER } from '../identity/acting-role';
import { defaultAuthLogger } from './default-logger';
import { bodyParserError, SecurityExceptionFilter } from './security-exception.filter';
import { securityValidationPipe } from './validation-pipe';

/**
 * App-level hardening; call before `app.init()`/`listen()`: trust-proxy, helmet headers, CORS (only the
 * configured origins), JSON bodies only (415), body size limit (413 as JSON), the whitelisting
 * ValidationPipe and the exception filter that never leaks a stack trace. Guards come from AuthModule and
 * RateLimitModule.
 */
export function applySecurity(app: INestApplication, config: SecurityConfig, logger?: AuthLogger): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', config.trustProxy);
  express.disable('x-powered-by');
  app.use(helmet());
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', ACTING_ROLE_HEADER, 'Idempotency-Key', 'If-Match'],
      // A browser client reads a version it may send back as If-Match.
      exposedHeaders: ['ETag'],
      maxAge: 600,
    });
  }
  // A body of another type would reach the handler as no body at all, and a command whose fields are all
  // optional would run without what the caller sent: refused (415), nothing changed.
  app.use((req: Request, res: Response, next: NextFunction) => {
    // No body (none, or Content-Length 0, as a bodiless POST sends) passes: there is nothing to lose.
    if (req.headers['content-length'] === '0' || req.is('application/json') !== false) return next();
    res.status(415).json({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'content-type: a request body must be application/json',
    });
  });
  // A route that takes more (a report) is read by its own parser first; the request is then finished and
  // the general parser passes it by. Every other body meets `bodyLimit`.
  const general = bodyLimitBytes(config.bodyLimit);
  for (const route of config.routeBodyLimits ?? []) {
    const matches = routeMatcher(route);
    express.useBodyParser('json', {
      limit: Math.max(bodyLimitBytes(route.limit), general),
      type: (req: Request) => matches(req) && Boolean(req.is('application/json')),
    });
  }
  express.useBodyParser('json', { limit: general });
  // Body-parser errors happen before Nest's filters; answer them in the same shape.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const body = bodyParserError(err);
    if (!body) return next(err);
    res.status(body.statusCode).json(body);
  });
  app.useGlobalPipes(securityValidationPipe());
  app.useGlobalFilters(new SecurityExceptionFilter(logger ?? defaultAuthLogger()));
}

/** Whether a request is for the route: its method, and its path with each `:name` one segment. */
function routeMatcher(route: RouteBodyLimit): (req: Request) => boolean {
  const pattern = route.path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  // Case-insensitive, as Express routes.
  const path = new RegExp(`^${pattern}/?$`, 'i');
  return (req) => req.method === route.method && path.test(req.path);
}
