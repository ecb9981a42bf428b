import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { LoggerModule } from 'nestjs-pino';
import { Pool } from 'pg';
import {
  AuthModule,
  isDevelopmentEnv,
  loadAuthConfig,
  loadSecurityConfig,
  RateLimitModule,
  type RouteBodyLimit,
  TOKEN_VERIFIER,
  type TokenVerifier,
} from '@nqpf/auth';
import { createKafka } from '@nqpf/messaging';
import { Clock } from './clock';
import { ConsumerHost } from './consumers';
import { BaseConfig, ConfigError } from './config';
import { DevClockController, ShiftedClock } from './dev-clock';
import { kafkaSecurityOf, topicDurabilityOf } from './kafka-settings';
import { logDestination } from './log-destination';
import { requestLogView } from './request-log';
import { securityLog } from './security-log';
import { HealthController, HealthRegistry, singleFlight } from './health';
import { reportIdentityKeys } from './identity-keys-report';
import { HttpMetricsMiddleware, MetricsController, MetricsRegistry } from './metrics';
import { registerPoolGauges } from './pool-metrics';
import { PostgresThrottlerStorage } from './rate-limit-storage';
import { createServicePool } from './service-pool';
import {
  CONFIG,
  KAFKA,
  KAFKA_PROBE,
  PG_POOL,
  RATE_LIMIT_STORAGE,
  ROUTE_BODY_LIMITS,
  SERVICE_NAME,
  TOPIC_DURABILITY,
} from './tokens';

const PRUNE_RATE_LIMITS_MS = 600_000;

/** Polled by probes and scrapers every few seconds: not worth a log line each. */
export const UNLOGGED_ROUTES: ReadonlySet<string> = new Set([
  '/health',
  '/health/ready',
  '/health/live',
  '/metrics',
]);

export interface PlatformOptions {
  service: string;
  config: BaseConfig;
  /** Where AUTH_* and SECURITY_* are read from (docs/security.md); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Routes that take bodies over SECURITY_BODY_LIMIT, and how large (createService applies them). */
  bodyLimits?: readonly RouteBodyLimit[];
}

/**
 * What every service shares: configuration, the PostgreSQL pool, the Kafka client, JSON logs, health and
 * metrics endpoints, authentication and access guards (libs/auth), and orderly closing of pools on shutdown.
 */
@Global()
@Module({})
export class PlatformModule implements NestModule, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Platform');
  private admin?: Admin;
  private pruning?: NodeJS.Timeout;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KAFKA_PROBE) private readonly kafkaProbe: Kafka,
    @Inject(RATE_LIMIT_STORAGE) private readonly rateLimits: PostgresThrottlerStorage,
    private readonly health: HealthRegistry,
    private readonly metrics: MetricsRegistry,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  static forRoot({ service, config, env = process.env, bodyLimits = [] }: PlatformOptions): DynamicModule {
    // Checked here, at start, so a contradictory Kafka setting stops the process naming the variables.
    const kafkaSecurity = kafkaSecurityOf(config);
    const topicDurability = topicDurabilityOf(config);
    if (config.NQPF_DEV_CLOCK && !isDevelopmentEnv(config.NODE_ENV))
      throw new ConfigError([
        `NQPF_DEV_CLOCK is for development stacks; it cannot be set with NODE_ENV=${config.NODE_ENV}`,
      ]);
    const devClock = config.NQPF_DEV_CLOCK;
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: config.LOG_LEVEL,
              base: { service },
              autoLogging: { ignore: (req) => UNLOGGED_ROUTES.has(req.url ?? '') },
              serializers: { req: requestLogView },
              // Not in the view above; kept in case a header is ever added to it.
              redact: ['req.headers.authorization', 'req.headers.cookie'],
            },
            logDestination(),
          ],
        }),
        AuthModule.forRoot(loadAuthConfig(env), { logger: securityLog(service, config.LOG_LEVEL) }),
        RateLimitModule.forRoot(loadSecurityConfig(env), { provide: RATE_LIMIT_STORAGE }),
      ],
      controllers: [HealthController, MetricsController, ...(devClock ? [DevClockController] : [])],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: CONFIG, useValue: config },
        { provide: ROUTE_BODY_LIMITS, useValue: bodyLimits },
        {
          provide: PG_POOL,
          inject: [MetricsRegistry],
          useFactory: (metrics: MetricsRegistry) => {
            const pool = createServicePool(config, service);
            registerPoolGauges(metrics.registry, pool);
            return pool;
          },
        },
        {
          provide: KAFKA,
          useFactory: () => createKafka(`nqpf-${service}`, config.KAFKA_BROKERS, kafkaSecurity),
        },
        {
          provide: KAFKA_PROBE,
          useFactory: () =>
            createKafka(`nqpf-${service}-probe`, config.KAFKA_BROKERS, kafkaSecurity, { retries: 0 }),
        },
        { provide: TOPIC_DURABILITY, useValue: topicDurability },
        {
          provide: RATE_LIMIT_STORAGE,
          inject: [PG_POOL],
          useFactory: (pool: Pool) => new PostgresThrottlerStorage(pool),
        },
        HealthRegistry,
        MetricsRegistry,
        devClock ? { provide: Clock, useValue: new ShiftedClock() } : Clock,
        ConsumerHost,
      ],
      exports: [
        SERVICE_NAME,
        CONFIG,
        PG_POOL,
        KAFKA,
        TOPIC_DURABILITY,
        RATE_LIMIT_STORAGE,
        HealthRegistry,
        MetricsRegistry,
        Clock,
        ConsumerHost,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }

  onModuleInit(): void {
    this.pruning = setInterval(() => {
      this.rateLimits
        .prune()
        .catch((err) => this.logger.warn(`rate-limit windows not pruned: ${String(err)}`));
    }, PRUNE_RATE_LIMITS_MS).unref();
    this.health.register('database', async () => {
      await this.pool.query('select 1');
    });
    // One attempt per probe (a client without retries), one probe at a time: with the service client's
    // retries each probe's connect went on for about 100 s while Kafka was down, and a kubelet polling
    // every few seconds piled them up.
    this.health.register(
      'kafka',
      singleFlight(async () => {
        this.admin ??= this.kafkaProbe.admin();
        await this.admin.connect();
        await this.admin.describeCluster();
      }),
      { gatesTraffic: false },
    );
    reportIdentityKeys(this.verifier, this.health, this.metrics.registry);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruning);
    await this.admin?.disconnect().catch(() => undefined);
    await this.pool.end();
    this.logger.log('pools closed');
  }
}
