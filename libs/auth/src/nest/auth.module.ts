import { DynamicModule, Inject, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthLogger } from '../access/denial-log';
import { AuthConfig, validateAuthConfig } from '../config/auth-config';
import { DEV_ISSUER } from '../dev-identity/dev-identity-source';
import { createTokenVerifier, TokenVerifier } from '../token/token-verifier';
import { AuditorReadOnlyGuard } from './auditor-read-only.guard';
import { AuthenticationGuard } from './authentication.guard';
import { defaultAuthLogger } from './default-logger';
import { AUTH_CONFIG, AUTH_LOGGER, TOKEN_VERIFIER } from './injection-tokens';
import { MassAssignmentGuard } from './mass-assignment.guard';
import { UnreadInputGuard } from './unread-input.guard';
import { RolesGuard } from './roles.guard';

export interface AuthModuleOptions {
  /** pino-compatible logger for denials and key set reads (default: a pino logger named nqpf-auth). */
  logger?: AuthLogger;
  /** Replace token verification (rarely needed; tests use the dev identity instead). */
  verifier?: TokenVerifier;
}

/**
 * `AuthModule.forRoot(loadAuthConfig())` in a service's root module installs, in order, the global guards:
 * authentication (deny unless @Public), auditor read-only, @Roles, mass-assignment. Validates the config
 * first, so a service with AUTH_DEV_IDENTITY in production does not start.
 */
@Module({})
export class AuthModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(AUTH_LOGGER) private readonly logger: AuthLogger,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  static forRoot(config: AuthConfig, options: AuthModuleOptions = {}): DynamicModule {
    const checked = validateAuthConfig({ ...config, nodeEnv: config.nodeEnv ?? process.env.NODE_ENV });
    const logger = options.logger ?? defaultAuthLogger();
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_CONFIG, useValue: checked },
        { provide: AUTH_LOGGER, useValue: logger },
        { provide: TOKEN_VERIFIER, useValue: options.verifier ?? createTokenVerifier(checked, { logger }) },
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: AuditorReadOnlyGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_GUARD, useClass: MassAssignmentGuard },
        { provide: APP_GUARD, useClass: UnreadInputGuard },
      ],
      exports: [AUTH_CONFIG, AUTH_LOGGER, TOKEN_VERIFIER],
    };
  }

  /** Whoever holds the development key signs any role: a service that trusts it says so once, at start. */
  onModuleInit(): void {
    const dev = this.config.devIdentity;
    if (!dev) return;
    this.logger.warn(
      {
        event: 'development_identity_trusted',
        issuer: DEV_ISSUER,
        nodeEnv: this.config.nodeEnv,
        key: 'seed' in dev ? 'derived from AUTH_DEV_IDENTITY_SEED' : dev.dir,
      },
      `the development identity is trusted (AUTH_DEV_IDENTITY=1, NODE_ENV=${this.config.nodeEnv}): ` +
        `tokens of issuer ${DEV_ISSUER} signed with its key act as any role — development and tests only`,
    );
  }

  /** app.close() (SIGTERM, a spec's end): no key set retry outlives the application. */
  onModuleDestroy(): void {
    this.verifier.close?.();
  }
}
