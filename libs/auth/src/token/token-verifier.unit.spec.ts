import { mintDevToken } from '../dev-identity/mint-dev-token';
import { createTestProvider, signToken } from '../test-support/provider';
import { createTokenVerifier } from './token-verifier';

const provider = createTestProvider();
const real = {
  issuer: provider.issuer,
  audience: provider.audience,
  publicKeys: provider.publicKeysPem,
  clockSkewS: 0,
};

describe('createTokenVerifier', () => {
  it('finds the right one of several static keys without a kid', async () => {
    const verifier = createTokenVerifier({ ...real, devIdentity: false });
    await expect(
      verifier.verify(await signToken(provider, { sub: 'r' }, { alg: 'RS256' })),
    ).resolves.toMatchObject({ sub: 'r' });
    await expect(
      verifier.verify(await signToken(provider, { sub: 'e' }, { alg: 'ES256' })),
    ).resolves.toMatchObject({ sub: 'e' });
  });

  it('trusts dev tokens only when the dev identity is enabled, with the same key source', async () => {
    const token = await mintDevToken({ role: 'auditor' }, { seed: 'v1' });
    await expect(
      createTokenVerifier({ ...real, devIdentity: { seed: 'v1' } }).verify(token),
    ).resolves.toMatchObject({
      roles: ['auditor'],
    });
    await expect(createTokenVerifier({ ...real, devIdentity: false }).verify(token)).rejects.toThrow(
      'invalid token',
    );
    await expect(createTokenVerifier({ ...real, devIdentity: { seed: 'v2' } }).verify(token)).rejects.toThrow(
      'invalid token',
    );
  });

  it('refuses a provider token with the dev key source only', async () => {
    const verifier = createTokenVerifier({ clockSkewS: 0, devIdentity: { seed: 'v1' } });
    await expect(verifier.verify(await signToken(provider, { sub: 'r' }))).rejects.toMatchObject({
      message: 'invalid token',
      reason: `issuer "${provider.issuer}" is not trusted`,
    });
  });

  it('applies no tolerance beyond the configured skew', async () => {
    const verifier = createTokenVerifier({ ...real, devIdentity: false });
    await expect(verifier.verify(await signToken(provider, { sub: 'r' }, { expiresIn: -2 }))).rejects.toThrow(
      'token expired',
    );
  });
});
