import { codeOf, MATERIAL_KINDS, MaterialKind } from './catalogue';
import { Decision, makeDecision, reason } from './decision';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { show } from './values/local-date';
import { readArray, readObject, readString } from './values/read';

export interface Material {
  kind: MaterialKind;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface MaterialsInputs {
  materials: Material[];
}

export interface MaterialsOutcome {
  /** Missing required material means "return for supplement" (A8), not a rejection. */
  complete: boolean;
  missing: MaterialKind[];
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

export function readMaterials(raw: unknown): MaterialsInputs {
  const o = readObject(raw, 'input', 'A8');
  const materials = readArray(o.materials, 'materials', 'A8').map((item, i): Material => {
    const m = readObject(item, `materials[${i}]`, 'A8');
    const field = (name: string) => `materials[${i}].${name}`;
    const kindText = readString(m.kind, field('kind'), 'A8');
    const kind = codeOf(MATERIAL_KINDS, kindText);
    if (!kind)
      throw new RuleInputError(
        field('kind'),
        `expected one of ${Object.keys(MATERIAL_KINDS).join(', ')}, got ${show(m.kind)}`,
        'A8',
      );
    const mediaType = readString(m.mediaType, field('mediaType'), 'A8').toLowerCase();
    if (!MEDIA_TYPE.test(mediaType))
      throw new RuleInputError(
        field('mediaType'),
        `expected a media type such as application/pdf, got ${show(m.mediaType)}`,
        'A8',
      );
    const size = m.sizeBytes;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0)
      throw new RuleInputError(
        field('sizeBytes'),
        `expected a whole number of bytes > 0, got ${show(size)}`,
        'A8',
      );
    const sha256 = readString(m.sha256, field('sha256'), 'A8').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw new RuleInputError(
        field('sha256'),
        `expected 64 hexadecimal digits, got ${show(m.sha256)}`,
        'A8',
      );
    const fileName = readString(m.fileName, field('fileName'), 'A8');
    if (/[/\\]/.test(fileName))
      throw new RuleInputError(
        field('fileName'),
        `expected a file name without a folder, got ${show(fileName)}`,
        'A8',
      );
    return { kind, fileName, mediaType, sizeBytes: size, sha256 };
  });
  return { materials };
}

/** A8: each required kind present at least once; other materials optional. */
export function decideMaterials(raw: unknown, policy: Policy): Decision<MaterialsInputs, MaterialsOutcome> {
  const inputs = readMaterials(raw);
  const reasons = (policy.requiredMaterials as MaterialKind[]).map((kind) => {
    const count = inputs.materials.filter((m) => m.kind === kind).length;
    const passed = count > 0;
    return reason(
      'A8',
      kind,
      count,
      '>= 1',
      passed,
      passed ? `已提交${MATERIAL_KINDS[kind]}` : `缺少${MATERIAL_KINDS[kind]}，应退回补充`,
      passed ? `${kind} submitted` : `${kind} missing: return the application for supplement`,
    );
  });
  const missing = reasons.filter((r) => !r.passed).map((r) => r.criterion as MaterialKind);
  return makeDecision({
    rule: 'materials',
    policyVersion: policy.version,
    inputs,
    outcome: { complete: missing.length === 0, missing },
    reasons,
  });
}
