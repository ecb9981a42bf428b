import { ConflictException, Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { CONFIG, KAFKA, PG_POOL } from '@nqpf/platform';
import { RebuildInProgressError } from '@nqpf/projections';
import type { RegistryConfig } from '../config';
import { optionalOneOf, strictQuery } from '../standing/request-params';
import { READ_MODEL_NAMES } from './read-models';
import { ReadModelRebuild, rebuildReadModels } from './rebuild-read-models';
import { ApiAnswers } from '../read-api/responses';
import { CalledBy } from '../read-api/callers';

/**
 * Rebuild = replay every topic from offset zero into a fresh schema and swap it in. Only the bureau may:
 * it is an operation on the system, not a read, so auditors (read-only) may not.
 */
@ApiTags('operations')
@Controller('admin')
export class RebuildController {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: RegistryConfig,
  ) {}

  @Post('rebuild')
  @HttpCode(200)
  @CalledBy('city_bureau')
  @ApiQuery({ name: 'readModel', required: false, enum: READ_MODEL_NAMES, description: 'default: all' })
  @ApiQuery({ name: 'verifyOnly', required: false, enum: ['true', 'false'] })
  @ApiAnswers(
    'RebuildAnswer',
    'per read model: live and rebuilt checksums, whether swapped',
    [400, 401, 403, 409],
    'POST',
  )
  async rebuild(@Query() query: Record<string, unknown>): Promise<{ results: ReadModelRebuild[] }> {
    // A misspelt verifyOnly must not turn into a swapping rebuild.
    const { readModel, verifyOnly } = strictQuery(query, ['readModel', 'verifyOnly']);
    const only = optionalOneOf(readModel, 'readModel', READ_MODEL_NAMES);
    const verify = optionalOneOf(verifyOnly, 'verifyOnly', ['true', 'false']) === 'true';
    try {
      const results = await rebuildReadModels({
        kafka: this.kafka,
        pool: this.pool,
        topicPrefix: this.config.KAFKA_TOPIC_PREFIX,
        verifyOnly: verify,
        only: only ? [only] : undefined,
      });
      return { results };
    } catch (err) {
      if (err instanceof RebuildInProgressError) throw new ConflictException(err.message);
      throw err;
    }
  }
}
