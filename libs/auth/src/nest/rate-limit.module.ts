import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { SecurityConfig } from '../config/security-config';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * Rate limiting for public and @RateLimited routes. Import it after AuthModule so the actor is known and the
 * limit is per user (per IP without a token). In-memory counters: per replica.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: Pick<SecurityConfig, 'rateLimit'>): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [
            { name: 'public', limit: config.rateLimit.limit, ttl: config.rateLimit.windowS * 1000 },
          ],
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
