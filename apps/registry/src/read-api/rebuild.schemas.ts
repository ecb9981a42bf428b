import { READ_MODEL_NAMES } from '../rebuild/read-models';
import { boolean, integer, list, nullable, object, oneOfValues, string } from './json-schema';

/** rebuild-read-models.ts ReadModelRebuild, per read model: POST /admin/rebuild. */
export const RebuildAnswer = object({
  results: list(
    object({
      readModel: oneOfValues(READ_MODEL_NAMES),
      liveChecksum: nullable(string('null when there was no live model yet')),
      rebuiltChecksum: string(),
      matches: boolean(),
      swapped: boolean(),
      records: integer(0),
      applied: integer(0),
      rejected: integer(0),
    }),
  ),
});
