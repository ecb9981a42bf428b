import { ForbiddenException, RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import {
  AuditorReadOnlyGuard,
  isTokenRole,
  RateLimitGuard,
  RolesGuard,
  TOKEN_ROLES,
  type TokenRole,
} from '@nqpf/auth';
import { PlatformModule } from '@nqpf/platform';
import { InvalidInputError } from '@nqpf/domain';
import { NotAParameterError } from '../../standing/request-params';

/**
 * Test support: the registry's own routes as its module declares them (the platform's health and metrics
 * left out), each with the query parameters it takes and whether it is rate limited, read from the code
 * itself for the drift spec to hold against the document.
 */
export interface RegistryRoute {
  /** The document's operationId (@nestjs/swagger's default: Controller_method). */
  operationId: string;
  controller: object;
  type: Type;
  method: string;
}

export function registryRoutes(app: INestApplication): RegistryRoute[] {
  return [...app.get(ModulesContainer).values()]
    .filter((module) => module.metatype !== PlatformModule)
    .flatMap((module) => [...module.controllers.values()])
    .flatMap(({ instance, metatype }) => {
      const type = metatype as Type;
      return Object.getOwnPropertyNames(type.prototype)
        .filter((method) => Reflect.getMetadata(METHOD_METADATA, type.prototype[method]) !== undefined)
        .map((method) => ({ operationId: `${type.name}_${method}`, controller: instance, type, method }));
    });
}

/** The route's HTTP method, as its @Get or @Post declares it. */
export function httpMethodOf(route: RegistryRoute): RequestMethod {
  return Reflect.getMetadata(METHOD_METADATA, route.type.prototype[route.method]) as RequestMethod;
}

/** Whether the handler takes the response (@Res) and writes its answer itself, so Nest never sends one. */
export function writesItsOwnAnswer(route: RegistryRoute): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.type, route.method) ?? {}) as object;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.RESPONSE));
}

const PROBE = 'driftProbe';
const PROBE_TIMEOUT_MS = 2_000;

/**
 * What a route's handler throws when called with only this query (its other arguments missing: nothing
 * else may be read before the query is checked), or a string saying it answered, or not in time.
 */
async function refusalOf(route: RegistryRoute, query: Record<string, string>): Promise<unknown> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.type, route.method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const param = Object.entries(args).find(([key]) => key.split(':')[0] === String(RouteParamtypes.QUERY));
  if (!param || param[1].data !== undefined)
    return 'reads no whole query: it cannot refuse one it does not take';
  const call: unknown[] = [];
  call[param[1].index] = query;
  const handler = (route.controller as Record<string, (...a: unknown[]) => Promise<unknown>>)[route.method];
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      handler.apply(route.controller, call),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return `answered ${JSON.stringify(query)} without refusing it`;
  } catch (err) {
    return err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The query parameters a route takes, as its strictQuery names them when refusing one it does not take:
 * the handler is called with only that parameter (nothing else is read before the query is checked). A
 * string says why there is no such list (the route reads no whole query, or did not refuse the probe).
 */
export async function acceptedQuery(route: RegistryRoute): Promise<string[] | string> {
  const err = await refusalOf(route, { [PROBE]: '1' });
  if (typeof err === 'string') return err;
  if (err instanceof NotAParameterError && err.field === PROBE) return [...err.accepted];
  return `did not refuse ${PROBE} before anything else (strictQuery first): ${String(err)}`;
}

/** A query parameter's value as the route reads it, in the terms of its OpenAPI schema. */
export type ParameterKind =
  | { type: 'integer'; minimum: number; maximum?: number }
  | { type: 'string'; format: 'date' }
  | { type: 'string'; enum: string[] }
  | { type: 'string' };

/**
 * How a route reads a query parameter, from its refusal of `x` given alone (no integer, date or listed
 * value; the other arguments missing): optionalInt's `must be an integer from <min> to <max>` (a maximum past
 * any real one left out, as intSchema documents it), a date's `a date YYYY-MM-DD` (`at`, an instant or a
 * date, is text), optionalOneOf's `must be one of
 * …`; any other answer (another field's refusal, the unreachable database behind a valid value) reads it as
 * text.
 */
export async function enforcedKind(route: RegistryRoute, name: string): Promise<ParameterKind> {
  const err = await refusalOf(route, { [name]: 'x' });
  if (!(err instanceof InvalidInputError) || err.field !== name) return { type: 'string' };
  const integer = /must be an integer from (-?\d+) to (\d+),/.exec(err.message);
  if (integer) {
    const maximum = Number(integer[2]);
    return {
      type: 'integer',
      minimum: Number(integer[1]),
      ...(maximum < Number.MAX_SAFE_INTEGER ? { maximum } : {}),
    };
  }
  if (/^[^:]+: a date YYYY-MM-DD, got "x"$/.test(err.message)) return { type: 'string', format: 'date' };
  const oneOf = /must be one of (.*), got "x"$/.exec(err.message);
  if (oneOf) return { type: 'string', enum: oneOf[1]!.split(', ') };
  return { type: 'string' };
}

/** The same, as an operation's OpenAPI parameter schema documents it. */
export function documentedKind(schema: {
  type?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  enum?: string[];
}): ParameterKind | { type: string | undefined } {
  if (schema.type === 'integer')
    return {
      type: 'integer',
      minimum: schema.minimum as number,
      ...(schema.maximum === undefined ? {} : { maximum: schema.maximum }),
    };
  if (schema.enum) return { type: 'string', enum: schema.enum };
  if (schema.format === 'date') return { type: 'string', format: 'date' };
  return { type: schema.type };
}

/** A guard of libs/auth as the registry's module holds it. */
function guardOf<T>(app: INestApplication, type: Type<T>): T {
  const guard = [...app.get(ModulesContainer).values()]
    .flatMap((module) => [...module.injectables.values(), ...module.providers.values()])
    .map(({ instance }) => instance as unknown)
    .find((instance): instance is T => instance instanceof type);
  if (!guard) throw new Error(`no ${type.name} in the registry module`);
  return guard;
}

/** Who may call a route: anyone, without a token (`public`), or the token roles listed. */
export type Callers = 'public' | TokenRole[];

/**
 * Who libs/auth's guards, as the registry's module holds them, let call the route: `public` when RolesGuard
 * admits a request without an actor (@Public), else each token role that RolesGuard (@Roles) and
 * AuditorReadOnlyGuard (an auditor only on a GET, or a @ReadOnlyAction) both admit.
 */
export function enforcedCallers(app: INestApplication, route: RegistryRoute): Callers {
  const guards = [guardOf(app, RolesGuard), guardOf(app, AuditorReadOnlyGuard)];
  const method = RequestMethod[httpMethodOf(route)];
  const admits = (actor?: { id: string; role: TokenRole }) =>
    guards.every((guard) => {
      const request = { method, path: '/drift-probe', actor };
      const context = new ExecutionContextHost([request, {}], route.type, route.type.prototype[route.method]);
      try {
        return guard.canActivate(context);
      } catch (err) {
        if (err instanceof ForbiddenException) return false;
        throw err;
      }
    });
  if (admits(undefined)) return 'public';
  return TOKEN_ROLES.filter((role) => admits({ id: 'drift-probe', role }));
}

/** The same, as the operation's description names it (read-api/callers.ts); a string when it does not. */
export function documentedCallers(description: string | undefined): Callers | string {
  if (description?.startsWith('Public: no token needed.')) return 'public';
  const listed = /^Roles allowed: ([a-z_]+(?:, [a-z_]+)*)\./.exec(description ?? '');
  if (!listed) return `names no callers: ${JSON.stringify(description)}`;
  const roles = listed[1]!.split(', ');
  const unknown = roles.filter((role) => !isTokenRole(role));
  if (unknown.length > 0) return `names a role no token grants: ${unknown.join(', ')}`;
  // In TOKEN_ROLES' order, as enforcedCallers lists them.
  return TOKEN_ROLES.filter((role) => roles.includes(role));
}

/** Whether libs/auth's RateLimitGuard, as the registry's module holds it, limits the route. */
export async function isRateLimited(app: INestApplication, route: RegistryRoute): Promise<boolean> {
  const guard = guardOf(app, RateLimitGuard);
  const context = new ExecutionContextHost([{}, {}], route.type, route.type.prototype[route.method]);
  const skips = (guard as unknown as { shouldSkip(c: ExecutionContextHost): Promise<boolean> }).shouldSkip(
    context,
  );
  return !(await skips);
}
