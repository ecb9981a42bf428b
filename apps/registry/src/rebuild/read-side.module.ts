import { Global, Module } from '@nestjs/common';
import { ProjectionHost } from './projection-host';
import { RebuildController } from './rebuild.controller';

/** What every read model's module shares: the host that runs projections, and their rebuild. */
@Global()
@Module({ controllers: [RebuildController], providers: [ProjectionHost], exports: [ProjectionHost] })
export class ReadSideModule {}
