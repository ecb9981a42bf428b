import type { DynamicModule } from '@nestjs/common';
import { loadAssessmentConfig } from '../../apps/assessment/src/config';
import { AssessmentModule } from '../../apps/assessment/src/assessment.module';
import { loadFinanceConfig } from '../../apps/finance/src/config';
import { FinanceModule } from '../../apps/finance/src/finance.module';
import { loadIntakeConfig } from '../../apps/intake/src/config';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { loadRegistryConfig } from '../../apps/registry/src/config';
import { RegistryModule } from '../../apps/registry/src/registry.module';
import { loadReportingConfig } from '../../apps/reporting/src/config';
import { ReportingModule } from '../../apps/reporting/src/reporting.module';
import { loadReviewConfig } from '../../apps/review/src/config';
import { ReviewModule } from '../../apps/review/src/review.module';

export interface ServiceBuild {
  name: string;
  build(env: NodeJS.ProcessEnv): DynamicModule;
  /** Registry keeps read models only; the others are event-sourced. */
  hasEventStore: boolean;
}

/** The six services, each built the way its main.ts builds it. */
export const ALL_SERVICES: readonly ServiceBuild[] = [
  { name: 'intake', build: (env) => IntakeModule.forRoot(loadIntakeConfig(env), env), hasEventStore: true },
  { name: 'review', build: (env) => ReviewModule.forRoot(loadReviewConfig(env), env), hasEventStore: true },
  {
    name: 'reporting',
    build: (env) => ReportingModule.forRoot(loadReportingConfig(env), env),
    hasEventStore: true,
  },
  {
    name: 'assessment',
    build: (env) => AssessmentModule.forRoot(loadAssessmentConfig(env), env),
    hasEventStore: true,
  },
  {
    name: 'finance',
    build: (env) => FinanceModule.forRoot(loadFinanceConfig(env), env),
    hasEventStore: true,
  },
  {
    name: 'registry',
    build: (env) => RegistryModule.forRoot(loadRegistryConfig(env), env),
    hasEventStore: false,
  },
];
