import { ForbiddenError, UnauthenticatedError } from '../errors';
import { actorFor } from './acting-role';
import { identityFromClaims } from './identity';

describe('identityFromClaims', () => {
  it('reads subject, name, known roles, district and center', () => {
    expect(
      identityFromClaims({
        sub: 'u1',
        name: '李',
        roles: ['operator', 'admin', 'expert'],
        district: '南关区',
        center_id: 'c1',
      }),
    ).toEqual({ id: 'u1', name: '李', roles: ['operator', 'expert'], district: '南关区', centerId: 'c1' });
  });

  it.each([
    [{ center_id: 12345 }, 'the center_id claim must be text (a JSON string), got number'],
    [{ district: 7 }, 'the district claim must be text (a JSON string), got number'],
    [{ district: ['南关区'] }, 'the district claim must be text (a JSON string), got array'],
    [{ roles: 5 }, 'the roles claim must be a list of texts (JSON strings), got number'],
    [
      { roles: ['operator', 1] },
      'the roles claim must be a list of texts (JSON strings), got an array holding a number',
    ],
  ])('names the wrong JSON type of a claim (%p), not a missing claim', (claim, message) => {
    const claims = { sub: 'u1', roles: ['operator', 'district_office'], ...claim };
    const as = (role: string) => () => actorFor(identityFromClaims(claims), role);
    // Each claim is refused where it is read: roles always, district and center_id for their role.
    const role = 'district' in claim ? 'district_office' : 'operator';
    expect(as(role)).toThrow(ForbiddenError);
    expect(as(role)).toThrow(message);
  });

  it('reads a mistyped district or center_id only for the role that needs it', () => {
    const identity = identityFromClaims({ sub: 'u', roles: ['expert', 'operator'], center_id: 12345 });
    expect(actorFor(identity, 'expert')).toMatchObject({ role: 'expert', centerId: null });
  });

  it('refuses a token without a subject and never grants system or public from a claim', () => {
    expect(() => identityFromClaims({ roles: ['city_bureau'] })).toThrow(UnauthenticatedError);
    expect(identityFromClaims({ sub: 'u', roles: ['system', 'public'] }).roles).toEqual([]);
  });
});

describe('actorFor', () => {
  const identity = {
    id: 'u1',
    roles: ['expert', 'district_office'] as const,
    district: '南关区',
    centerId: 'c9',
  };

  it('acts as the first role by default, without carrying scope of other roles', () => {
    expect(actorFor({ ...identity, roles: [...identity.roles] })).toEqual({
      id: 'u1',
      role: 'expert',
      district: null,
      centerId: null,
    });
  });

  it('acts as the requested role when granted, with that role scope', () => {
    expect(actorFor({ ...identity, roles: [...identity.roles] }, 'district_office')).toEqual({
      id: 'u1',
      role: 'district_office',
      district: '南关区',
      centerId: null,
    });
  });

  it('refuses a role the token does not grant, and a token with no role', () => {
    expect(() => actorFor({ ...identity, roles: [...identity.roles] }, 'city_bureau')).toThrow(
      ForbiddenError,
    );
    expect(() => actorFor({ id: 'u', roles: [] })).toThrow('the token grants no nqpf role');
  });

  it.each([
    ['南关区 ', '南关区\\u{20}'],
    ['南关\u200b区', '南关\\u{200B}区'],
    ['Nanguan', 'Nanguan'],
  ])(
    'refuses a district claim %p that is not exactly a configured unit, naming it and the units',
    (district, shown) => {
      const office = { id: 'u1', roles: ['district_office' as const], district };
      const act = () => actorFor(office, undefined, ['南关区', '朝阳区']);
      expect(act).toThrow(ForbiddenError);
      expect(act).toThrow(
        `the district claim "${shown}" is not one of the configured district-level units (NQPF_DISTRICT_UNITS: 南关区, 朝阳区)`,
      );
      expect(actorFor({ ...office, district: '朝阳区' }, undefined, ['南关区', '朝阳区']).district).toBe(
        '朝阳区',
      );
    },
  );

  it('checks the district against the units RULES names when none are configured', () => {
    expect(() => actorFor({ id: 'u', roles: ['district_office'], district: 'Atlantis区' })).toThrow(
      'is not one of the configured district-level units',
    );
    expect(actorFor({ id: 'u', roles: ['district_office'], district: '汽开区' }).district).toBe('汽开区');
  });

  it('refuses an operator without a center', () => {
    expect(() => actorFor({ id: 'u', roles: ['operator'] })).toThrow(
      'an operator token must carry a center_id claim',
    );
  });
});
