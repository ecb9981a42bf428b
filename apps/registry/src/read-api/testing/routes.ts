import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RateLimitGuard } from '@nqpf/auth';
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

/** Whether libs/auth's RateLimitGuard, as the registry's module holds it, limits the route. */
export async function isRateLimited(app: INestApplication, route: RegistryRoute): Promise<boolean> {
  const guard = [...app.get(ModulesContainer).values()]
    .flatMap((module) => [...module.injectables.values(), ...module.providers.values()])
    .map(({ instance }) => instance as unknown)
    .find((instance): instance is RateLimitGuard => instance instanceof RateLimitGuard);
  if (!guard) throw new Error('no RateLimitGuard in the registry module');
  const context = new ExecutionContextHost([{}, {}], route.type, route.type.prototype[route.method]);
  const skips = (guard as unknown as { shouldSkip(c: ExecutionContextHost): Promise<boolean> }).shouldSkip(
    context,
  );
  return !(await skips);
}
