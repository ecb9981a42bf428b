import { mintDevToken } from '@nqpf/auth';
import { ROUTES } from '../routes';
import type { Stack } from '../stack';
import type { ActorSpec } from '../steps';
import { type Driver, type Reply, StepRefused } from './driver';

/** Through the public HTTP APIs, as the real actors would: development tokens, JSON bodies, DTO validation. */
export function httpDriver(stack: Stack): Driver {
  const tokens = new Map<string, Promise<string>>();
  const token = (actor: ActorSpec) => {
    const key = JSON.stringify(actor);
    if (!tokens.has(key))
      tokens.set(
        key,
        mintDevToken({ ttl: 24 * 3600, ...actor } as Parameters<typeof mintDevToken>[0], {
          seed: stack.identitySeed,
        }),
      );
    return tokens.get(key)!;
  };
  return {
    name: 'http',
    async execute(step, body) {
      const route = ROUTES[step.kind];
      const { port } = stack.services[route.service];
      if (port === undefined) throw new Error('the HTTP driver needs stack.listen() first');
      const res = await fetch(`http://127.0.0.1:${port}${route.path(step.target)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token(step.actor)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      const text = await res.text();
      if (res.status >= 300) throw new StepRefused(res.status, `${res.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as Reply;
    },
  };
}
