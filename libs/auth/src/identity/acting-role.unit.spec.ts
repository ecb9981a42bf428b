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

  it('refuses an operator without a center', () => {
    expect(() => actorFor({ id: 'u', roles: ['operator'] })).toThrow(
      'an operator token must carry a center_id claim',
    );
  });
});
