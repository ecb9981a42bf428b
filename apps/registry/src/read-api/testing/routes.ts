import type { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RateLimitGuard } from '@nqpf/auth';
import { PlatformModule } from '@nqpf/platform';
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

const PROBE = 'driftProbe';
const PROBE_TIMEOUT_MS = 2_000;

/**
 * The query parameters a route takes, as its strictQuery names them when refusing one it does not take:
 * the handler is called with only that parameter (nothing else is read before the query is checked). A
 * string says why there is no such list (the route reads no whole query, or did not refuse the probe).
 */
export async function acceptedQuery(route: RegistryRoute): Promise<string[] | string> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.type, route.method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const query = Object.entries(args).find(([key]) => key.split(':')[0] === String(RouteParamtypes.QUERY));
  if (!query || query[1].data !== undefined)
    return 'reads no whole query: it cannot refuse one it does not take';
  const call: unknown[] = [];
  call[query[1].index] = { [PROBE]: '1' };
  const handler = (route.controller as Record<string, (...a: unknown[]) => Promise<unknown>>)[route.method];
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      handler.apply(route.controller, call),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return `answered ${PROBE} without refusing it`;
  } catch (err) {
    if (err instanceof NotAParameterError && err.field === PROBE) return [...err.accepted];
    return `did not refuse ${PROBE} before anything else (strictQuery first): ${String(err)}`;
  } finally {
    clearTimeout(timer);
  }
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
