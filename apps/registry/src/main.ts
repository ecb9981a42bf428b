import 'reflect-metadata';
import { runService } from '@nqpf/platform';
import { loadRegistryConfig } from './config';
import { RegistryModule } from './registry.module';

const config = loadRegistryConfig();
void runService({
  name: 'registry',
  description:
    'The read side: standing and ledger projections, rebuild, as-of queries, audit trail and replay.',
  module: RegistryModule.forRoot(config),
  config,
});
