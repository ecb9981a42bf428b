import 'reflect-metadata';
import { runService } from '@nqpf/platform';
import { loadFinanceConfig } from './config';
import { FinanceModule } from './finance.module';

const config = loadFinanceConfig();
void runService({
  name: 'finance',
  description: 'Subsidy policy, grants, disbursements and expenditures (RULES.md A12, A13).',
  module: FinanceModule.forRoot(config),
  config,
});
