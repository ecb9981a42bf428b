import { Module } from '@nestjs/common';
import { LedgerConsumer } from './ledger.consumer';
import { LedgerController } from './ledger.controller';

/** Its own module so its bootstrap runs after, not concurrently with, the standing's. */
@Module({ controllers: [LedgerController], providers: [LedgerConsumer] })
export class LedgerModule {}
