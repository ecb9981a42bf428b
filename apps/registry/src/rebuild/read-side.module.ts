import { Global, Module } from '@nestjs/common';
import { ProjectionHost } from './projection-host';
import { RebuildController } from './rebuild.controller';
import { ExportGate } from '../standing/csv-export';
import { ReplayGate } from './replay-gate';

/**
 * What every read model's module shares: the host that runs projections, their rebuild, the as-of and
 * export gates.
 */
@Global()
@Module({
  controllers: [RebuildController],
  providers: [ProjectionHost, ReplayGate, ExportGate],
  exports: [ProjectionHost, ReplayGate, ExportGate],
})
export class ReadSideModule {}
