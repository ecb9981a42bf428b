import { Global, Module } from '@nestjs/common';
import { ProjectionHost } from './projection-host';

/** What every read model's module shares: the host that runs projections. */
@Global()
@Module({ providers: [ProjectionHost], exports: [ProjectionHost] })
export class ReadSideModule {}
