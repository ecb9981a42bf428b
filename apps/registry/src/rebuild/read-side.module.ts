import { Global, Module } from '@nestjs/common';
import { ProjectionHost } from './projection-host';
import { RebuildController } from './rebuild.controller';
import { ReplayGate } from './replay-gate';

/** What every read model's module shares: the host that runs projections, their rebuild, the as-of gate. */
@Global()
@Module({
  controllers: [RebuildController],
  providers: [ProjectionHost, ReplayGate],
  exports: [ProjectionHost, ReplayGate],
})
export class ReadSideModule {}
