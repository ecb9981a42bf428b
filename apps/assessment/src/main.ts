import 'reflect-metadata';
import { runService } from '@nqpf/platform';
import { loadAssessmentConfig } from './config';
import { AssessmentModule } from './assessment.module';

const config = loadAssessmentConfig();
void runService({
  name: 'assessment',
  description: 'Annual assessment and grades, revocation (RULES.md A16, A17).',
  module: AssessmentModule.forRoot(config),
  config,
});
