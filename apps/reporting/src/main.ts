import 'reflect-metadata';
import { runService } from '@nqpf/platform';
import { loadReportingConfig } from './config';
import { ReportingModule } from './reporting.module';

const config = loadReportingConfig();
void runService({
  name: 'reporting',
  description:
    'Operation start, activities, quarterly and annual reports, deadlines and major changes (RULES.md A14–A16).',
  module: ReportingModule.forRoot(config),
  config,
});
