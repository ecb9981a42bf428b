import type { Actor } from '@nqpf/contracts';
import { DomainError } from '@nqpf/domain';
import { ConcurrencyConflictError } from '@nqpf/event-store';
import { ROUTES } from '../routes';
import type { Stack } from '../stack';
import type { Step } from '../steps';
import { type Driver, type Reply, StepRefused } from './driver';

const actorOf = (step: Step): Actor => ({
  id: step.actor.sub,
  role: step.actor.role,
  district: step.actor.district ?? null,
  centerId: step.actor.centerId ?? null,
});

/**
 * For volume: calls the controller method behind each route in-process, so the command takes the
 * services' own path (handler → decider → PostgresEventStore append with its outbox rows) without HTTP,
 * token verification or DTO validation in front of it.
 */
export function directDriver(stack: Stack): Driver {
  return {
    name: 'direct',
    async execute(step, body) {
      const route = ROUTES[step.kind];
      const controller = stack.services[route.service].app.get(route.controller) as Record<
        string,
        (...args: unknown[]) => Promise<Reply>
      >;
      const args: unknown[] = [
        ...(step.target !== null ? [step.target] : []),
        ...(route.hasBody ? [body ?? {}] : []),
        actorOf(step),
      ];
      try {
        return await controller[route.method]!.apply(controller, args);
      } catch (err) {
        if (err instanceof DomainError) throw new StepRefused(err.status, err.message);
        if (err instanceof ConcurrencyConflictError) throw new StepRefused(409, err.message);
        throw err;
      }
    },
  };
}
