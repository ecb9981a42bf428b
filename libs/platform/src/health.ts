import { Controller, Get, HttpStatus, Injectable, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, SkipRateLimit } from '@nqpf/auth';

export type HealthCheck = () => Promise<void>;

/**
 * Checks registered by whatever the service depends on (database, Kafka, consumers). A check that does not
 * gate traffic (Kafka, the consumers, the projections) is reported in /health but leaves /health/ready
 * alone: HTTP needs only the database (commands write to the outbox, reads to the tables), and a Kafka blip
 * taking every replica out of the load balancer would turn a delay in the background into an outage.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, { check: HealthCheck; gatesTraffic: boolean }>();

  register(name: string, check: HealthCheck, { gatesTraffic = true } = {}): void {
    this.checks.set(name, { check, gatesTraffic });
  }

  async run(timeoutMs = 2000): Promise<{ ready: boolean; serving: boolean; checks: Record<string, string> }> {
    const results = await Promise.all(
      [...this.checks].map(async ([name, { check, gatesTraffic }]) => {
        try {
          await withTimeout(check(), timeoutMs);
          return { name, gatesTraffic, result: 'up' };
        } catch (err) {
          return { name, gatesTraffic, result: `down: ${(err as Error).message}` };
        }
      }),
    );
    return {
      ready: results.every((r) => r.result === 'up'),
      serving: results.every((r) => !r.gatesTraffic || r.result === 'up'),
      checks: Object.fromEntries(results.map((r) => [r.name, r.result])),
    };
  }
}

/** A check that, called while a run is in flight, joins it instead of starting another. */
export function singleFlight(check: HealthCheck): HealthCheck {
  let running: Promise<void> | undefined;
  return () => (running ??= check().finally(() => (running = undefined)));
}

/** `p`, or an error once `ms` have passed (`p` goes on unobserved). */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Operational routes: public, and never rate-limited — the kubelet and load balancers poll them from shared
 * addresses, and a 429 would take a healthy pod out of service.
 */
@ApiTags('operations')
@Public()
@SkipRateLimit()
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /** Every registered dependency answering (503 otherwise, naming it): the whole picture, for people. */
  @Get()
  @ApiOkResponse({
    description: 'live and ready',
    schema: { example: { status: 'ok', live: true, ready: true, checks: { database: 'up' } } },
  })
  @ApiServiceUnavailableResponse({ description: 'live, but a dependency is down' })
  async health(@Res() res: Response): Promise<void> {
    const { ready, checks } = await this.registry.run();
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: ready ? 'ok' : 'unavailable',
      live: true,
      ready,
      checks,
    });
  }

  /**
   * Readiness: what HTTP needs (the database) answering; Kafka and the consumers are reported but do not
   * take the replica out of the load balancer. For a readiness probe.
   */
  @Get('ready')
  @ApiOkResponse({
    description: 'ready to serve requests',
    schema: { example: { status: 'ok', live: true, ready: true, checks: { database: 'up', kafka: 'up' } } },
  })
  @ApiServiceUnavailableResponse({ description: 'live, but the database does not answer' })
  async ready(@Res() res: Response): Promise<void> {
    const { serving, checks } = await this.registry.run();
    res.status(serving ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: serving ? 'ok' : 'unavailable',
      live: true,
      ready: serving,
      checks,
    });
  }

  /**
   * Liveness: 200 whenever the process answers HTTP, touching no dependency, so a database or Kafka outage
   * does not restart the process while a stuck event loop does. For a liveness probe.
   */
  @Get('live')
  @ApiOkResponse({
    description: 'the process serves HTTP (no dependency is checked)',
    schema: { example: { status: 'ok', live: true } },
  })
  live(): { status: 'ok'; live: true } {
    return { status: 'ok', live: true };
  }
}
