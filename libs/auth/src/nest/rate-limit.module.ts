import { DynamicModule, InjectionToken, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { SecurityConfig } from '../config/security-config';
import { RateLimitGuard } from './rate-limit.guard';

/** Where the counters live: a provider of the application (the services' is their PostgreSQL). */
export interface RateLimitStorage {
  provide: InjectionToken;
}

/**
 * Rate limiting for public and @RateLimited routes. Import it after AuthModule so the actor is known and the
 * limit is per user (per IP without a token). Without a storage the counters are in memory, per replica.
 * The throttler keeps @nestjs/throttler's default name, so a 429 carries the standard Retry-After header.
 */
@Module({})
export class RateLimitModule {
  static forRoot(
    config: Pick<SecurityConfig, 'rateLimit' | 'objectionRateLimit'>,
    storage?: RateLimitStorage,
  ): DynamicModule {
    // 'default' on every limited route; a named one only on the routes marked with its name (RateLimitGuard).
    const throttlers = [
      { limit: config.rateLimit.limit, ttl: config.rateLimit.windowS * 1000 },
      {
        name: 'objections',
        limit: config.objectionRateLimit.limit,
        ttl: config.objectionRateLimit.windowS * 1000,
      },
    ];
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: storage ? [storage.provide] : [],
          useFactory: (shared?: ThrottlerStorage) => ({ throttlers, storage: shared }),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
