import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@nqpf/platform';
import { RegistryConfig } from './config';

@Module({})
export class RegistryModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return {
      module: RegistryModule,
      imports: [PlatformModule.forRoot({ service: 'registry', config }), CqrsModule.forRoot()],
    };
  }
}
