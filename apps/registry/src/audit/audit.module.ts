import { Module } from '@nestjs/common';
import { AuditConsumer } from './audit.consumer';
import { AuditController } from './audit.controller';

/** GET /audit/centers/:centerId, fed by its own consumer group over every service's topic. */
@Module({ controllers: [AuditController], providers: [AuditConsumer] })
export class AuditModule {}
