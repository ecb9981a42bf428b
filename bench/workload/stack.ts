import type { DynamicModule, INestApplication } from '@nestjs/common';
import { createService, ManualClock } from '@nqpf/platform';
import { createTestDatabase, testEnvironment, type TestDatabase, uniqueName } from '@nqpf/testing';
import { AssessmentModule } from '../../apps/assessment/src/assessment.module';
import { loadAssessmentConfig } from '../../apps/assessment/src/config';
import { OperatingDeadlineTimer } from '../../apps/reporting/src/obligations/operating-deadline.timer';
import { loadFinanceConfig } from '../../apps/finance/src/config';
import { FinanceModule } from '../../apps/finance/src/finance.module';
import { loadIntakeConfig } from '../../apps/intake/src/config';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { loadRegistryConfig } from '../../apps/registry/src/config';
import { RegistryModule } from '../../apps/registry/src/registry.module';
import { loadReportingConfig } from '../../apps/reporting/src/config';
import { ReportDeadlineTimer } from '../../apps/reporting/src/obligations/report-deadline.timer';
import { ReportingModule } from '../../apps/reporting/src/reporting.module';
import { loadReviewConfig } from '../../apps/review/src/config';
import { PublicityDeadlineTimer } from '../../apps/review/src/deadlines/publicity-deadline.timer';
import { ReviewModule } from '../../apps/review/src/review.module';
import type { Service } from './steps';

export interface RunningService {
  app: INestApplication;
  db: TestDatabase;
  /** Set once `listen()` ran (the HTTP driver). */
  port?: number;
}

/**
 * The five write services and the registry in this process, each on a fresh database, sharing one topic
 * prefix, one development identity and one ManualClock the workload moves day by day. The stored-deadline
 * timers do not run on their own: `tick()` fires them for the clock's day, so deadlines pass in order.
 */
export interface Stack {
  topicPrefix: string;
  identitySeed: string;
  clock: ManualClock;
  services: Record<Service, RunningService>;
  registry: RunningService;
  tick(): Promise<void>;
  /** Listens on free loopback ports (for the public-API driver). */
  listen(): Promise<void>;
  close(options?: { keepDatabases?: boolean }): Promise<void>;
}

const QUIET_TIMERS = {
  REVIEW_DEADLINE_INTERVAL_MS: '0',
  REPORTING_TIMER_INTERVAL_MS: '0',
};

export async function startStack(startsOn: Date): Promise<Stack> {
  const topicPrefix = uniqueName('workload');
  const environment = testEnvironment(topicPrefix);
  const clock = new ManualClock(startsOn);
  const start = async (name: string, build: (env: NodeJS.ProcessEnv) => DynamicModule) => {
    const db = await createTestDatabase(`wl_${name}`);
    const env = { ...environment.env, ...QUIET_TIMERS, DATABASE_URL: db.url, PORT: '1' };
    const app = await createService({ name, description: name, module: build(env) }, env);
    await app.init();
    return { app, db } as RunningService;
  };
  const overrides = { clock };
  const [intake, review, reporting, assessment, finance, registry] = await Promise.all([
    start('intake', (env) => IntakeModule.forRoot(loadIntakeConfig(env), env, overrides)),
    start('review', (env) => ReviewModule.forRoot(loadReviewConfig(env), env, overrides)),
    start('reporting', (env) => ReportingModule.forRoot(loadReportingConfig(env), env, overrides)),
    start('assessment', (env) => AssessmentModule.forRoot(loadAssessmentConfig(env), env, overrides)),
    start('finance', (env) => FinanceModule.forRoot(loadFinanceConfig(env), env, overrides)),
    start('registry', (env) => RegistryModule.forRoot(loadRegistryConfig(env), env)),
  ]);
  const services = { intake, review, reporting, assessment, finance };
  const all = [intake, review, reporting, assessment, finance, registry];
  return {
    topicPrefix,
    identitySeed: environment.env.AUTH_DEV_IDENTITY_SEED!,
    clock,
    services,
    registry,
    async tick() {
      await review.app.get(PublicityDeadlineTimer).tick();
      await reporting.app.get(ReportDeadlineTimer).tick();
      await reporting.app.get(OperatingDeadlineTimer).tick();
    },
    async listen() {
      for (const s of all) {
        if (s.port !== undefined) continue;
        await s.app.listen(0, '127.0.0.1');
        s.port = (s.app.getHttpServer().address() as { port: number }).port;
      }
    },
    async close(options = {}) {
      for (const s of all) {
        await s.app.close();
        if (options.keepDatabases) await s.db.pool.end();
        else await s.db.drop();
      }
    },
  };
}
