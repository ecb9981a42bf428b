import type { MaterialKindV1, MaterialV1 } from '@nqpf/contracts';
import { InvalidInputError } from '@nqpf/domain';
import { requireArray, requireName, requireObject, requireOneOf, requireText } from '@nqpf/domain';

export const MATERIAL_KINDS: readonly MaterialKindV1[] = [
  'application_form',
  'construction_plan',
  'co_construction_agreement',
  'other',
];
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** A8: documents by metadata and SHA-256 (the bytes, if stored, live elsewhere). */
export function readMaterials(raw: unknown, field = 'materials'): MaterialV1[] {
  return requireArray(field, raw).map((item, i) => {
    const at = `${field}[${i}]`;
    const m = requireObject(at, item, ['kind', 'fileName', 'mediaType', 'sizeBytes', 'sha256']);
    const fileName = requireName(`${at}.fileName`, m.fileName, 255);
    if (/[/\\]/.test(fileName))
      throw new InvalidInputError(`${at}.fileName`, 'must be a file name without a folder');
    const mediaType = requireText(`${at}.mediaType`, m.mediaType, 255).toLowerCase();
    if (!MEDIA_TYPE.test(mediaType))
      throw new InvalidInputError(`${at}.mediaType`, 'must be a media type such as application/pdf');
    const size = m.sizeBytes;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0)
      throw new InvalidInputError(`${at}.sizeBytes`, 'must be a whole number of bytes > 0');
    const sha256 = typeof m.sha256 === 'string' ? m.sha256.toLowerCase() : '';
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw new InvalidInputError(`${at}.sha256`, 'must be 64 hexadecimal digits (SHA-256)');
    return {
      kind: requireOneOf(`${at}.kind`, m.kind, MATERIAL_KINDS),
      fileName,
      mediaType,
      sizeBytes: size,
      sha256,
    };
  });
}
