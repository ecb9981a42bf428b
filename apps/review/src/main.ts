import 'reflect-metadata';
import { runService } from '@nqpf/platform';
import { loadReviewConfig } from './config';
import { ReviewModule } from './review.module';

const config = loadReviewConfig();
void runService({
  name: 'review',
  description:
    'Eligibility, expert review, site inspection, list, publicity, objections, agreement and recognition (RULES.md A6, A9).',
  module: ReviewModule.forRoot(config),
  config,
});
