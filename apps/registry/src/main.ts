import 'reflect-metadata';
import { runService } from '@nqpf/platform';
import { loadRegistryConfig } from './config';
import { REGISTRY_SERVICE } from './read-api/read-api.document';
import { RegistryModule } from './registry.module';

const config = loadRegistryConfig();
void runService({ ...REGISTRY_SERVICE, module: RegistryModule.forRoot(config), config });
