import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@nqpf/platform';
import { AuditModule } from './audit/audit.module';
import { CallsConsumer } from './calls/calls.consumer';
import { CallsController } from './calls/calls.controller';
import { RegistryConfig } from './config';
import { LedgerModule } from './ledger/ledger.module';
import { ReadSideModule } from './rebuild/read-side.module';
import { StandingModule } from './standing/standing.module';

@Module({})
export class RegistryModule {
  static forRoot(config: RegistryConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: RegistryModule,
      imports: [
        PlatformModule.forRoot({ service: 'registry', config, env }),
        CqrsModule.forRoot(),
        ReadSideModule,
        StandingModule,
        LedgerModule,
        AuditModule,
      ],
      controllers: [CallsController],
      providers: [CallsConsumer],
    };
  }
}
