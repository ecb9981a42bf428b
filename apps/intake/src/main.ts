import 'reflect-metadata';
import { runService } from '@nqpf/platform';
import { loadIntakeConfig } from './config';
import { IntakeModule } from './intake.module';

const config = loadIntakeConfig();
void runService({
  name: 'intake',
  description: 'Calls for applications, applications, district endorsement and materials (RULES.md A7, A8).',
  module: IntakeModule.forRoot(config),
  config,
});
