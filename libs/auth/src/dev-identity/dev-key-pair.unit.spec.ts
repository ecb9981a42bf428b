import { jwtVerify } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER } from './dev-identity-source';
import { deriveDevKeyPair, devKeyPair } from './dev-key-pair';
import { DevTokenRequestError, mintDevToken } from './mint-dev-token';

describe('dev identity', () => {
  it('derives the same ES256 key pair from the same seed, another from another seed', () => {
    const a = deriveDevKeyPair('seed-1');
    expect(deriveDevKeyPair('seed-1').kid).toBe(a.kid);
    expect(deriveDevKeyPair('seed-2').kid).not.toBe(a.kid);
    expect(a.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('mints a token with the claims services read, under the dev issuer and audience', async () => {
    const token = await mintDevToken(
      { role: 'district_office', district: '南关区', sub: 'u1', name: '张', ttl: 60 },
      { seed: 's' },
    );
    const { payload, protectedHeader } = await jwtVerify(token, devKeyPair({ seed: 's' }).publicKey, {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: 'u1', name: '张', roles: ['district_office'], district: '南关区' });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it.each([
    [{ role: 'district_office' as const }, 'district: required for the district_office role'],
    [{ role: 'operator' as const }, 'centerId: required for the operator role'],
    [{ role: 'root' as never }, 'role: unknown role "root"'],
    [{ role: 'expert' as const, ttl: 0 }, 'ttl: must be a positive whole number of seconds'],
  ])('refuses %p naming the field', async (request, message) => {
    await expect(mintDevToken(request, { seed: 's' })).rejects.toThrow(new DevTokenRequestError(message));
  });
});
