import { Controller, Get, HttpStatus, Injectable, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, SkipRateLimit } from '@nqpf/auth';

export type HealthCheck = () => Promise<void>;

/** Readiness checks registered by whatever the service depends on (database, Kafka, consumers). */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async run(timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const results = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, 'up'] as const;
        } catch (err) {
          return [name, `down: ${(err as Error).message}`] as const;
        }
      }),
    );
    return { ready: results.every(([, r]) => r === 'up'), checks: Object.fromEntries(results) };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
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

  /** Readiness: every registered dependency answering (503 otherwise). For a readiness probe. */
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
