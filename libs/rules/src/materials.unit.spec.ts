import complete from '../examples/materials-complete.json';
import { inputErrorField } from './input-error-field.spec-helper';
import { decideMaterials } from './materials';
import { defaultPolicy } from './policy/policy-registry';

const decide = (input: unknown) => decideMaterials(input, defaultPolicy);
const only = (...kinds: string[]) => ({
  materials: complete.materials.filter((m) => kinds.includes(m.kind)),
});
const withMaterial = (patch: Record<string, unknown>) => ({
  materials: [{ ...complete.materials[0], ...patch }],
});

describe('materials completeness (A8)', () => {
  it.each([
    ['all three required and one optional', complete, true, []],
    [
      'the three required only',
      only('application_form', 'construction_plan', 'co_construction_agreement'),
      true,
      [],
    ],
    [
      'no agreement',
      only('application_form', 'construction_plan', 'other'),
      false,
      ['co_construction_agreement'],
    ],
    [
      'nothing',
      { materials: [] },
      false,
      ['application_form', 'construction_plan', 'co_construction_agreement'],
    ],
  ])('%s', (_name, input, isComplete, missing) => {
    const d = decide(input);
    expect(d.outcome).toEqual({ complete: isComplete, missing });
    expect(d.reasons.map((r) => r.ruleId)).toEqual(['A8', 'A8', 'A8']);
  });

  it('accepts kinds by their Chinese names and normalises media type and hash case', () => {
    const d = decide(
      withMaterial({
        kind: '申报表',
        mediaType: 'Application/PDF',
        sha256: complete.materials[0].sha256.toUpperCase(),
      }),
    );
    expect(d.inputs.materials[0]).toMatchObject({
      kind: 'application_form',
      mediaType: 'application/pdf',
      sha256: complete.materials[0].sha256,
    });
  });

  it.each([
    [{ kind: 'photo' }, 'materials[0].kind'],
    [{ fileName: '' }, 'materials[0].fileName'],
    [{ fileName: '../etc/passwd' }, 'materials[0].fileName'],
    [{ mediaType: 'pdf' }, 'materials[0].mediaType'],
    [{ sizeBytes: 0 }, 'materials[0].sizeBytes'],
    [{ sizeBytes: '12' }, 'materials[0].sizeBytes'],
    [{ sha256: 'abc' }, 'materials[0].sha256'],
  ])('rejects a malformed material %o naming the field', (patch, field) => {
    expect(inputErrorField(() => decide(withMaterial(patch)))).toBe(field);
  });

  it('rejects input without a materials list', () => {
    expect(inputErrorField(() => decide({}))).toBe('materials');
  });
});
