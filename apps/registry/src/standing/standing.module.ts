import { Module } from '@nestjs/common';
import { StandingConsumer } from './standing.consumer';
import { StandingController } from './standing.controller';

/**
 * Its own module so its bootstrap (DDL, consumer start) runs after, not concurrently with, the other
 * read models' (Nest runs one module's hooks at a time).
 */
@Module({ controllers: [StandingController], providers: [StandingConsumer] })
export class StandingModule {}
