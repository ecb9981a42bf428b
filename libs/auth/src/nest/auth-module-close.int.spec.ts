import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { IdentityKeysUnavailableError } from '../errors';
import { createTestProvider, recordingLogger, signToken } from '../test-support/provider';
import { TokenVerifier } from '../token/token-verifier';
import { AuthModule } from './auth.module';
import { TOKEN_VERIFIER } from './injection-tokens';

/** Closing the application ends the key set's background retries: nothing outlives it. */
describe('AuthModule at shutdown', () => {
  const provider = createTestProvider();
  let fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches++;
    res.writeHead(503).end('maintenance');
  });
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('stops retrying a failing key set read once the application is closed', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthModule.forRoot(
          {
            issuer: provider.issuer,
            audience: provider.audience,
            jwksUrl: url,
            clockSkewS: 30,
            jwksCooldownS: 1,
            devIdentity: false,
            nodeEnv: 'test',
          },
          { logger: recordingLogger() },
        ),
      ],
    }).compile();
    const verifier = moduleRef.get<TokenVerifier>(TOKEN_VERIFIER);
    const token = await signToken(provider, { sub: 'u1' }, { kid: 'k1' });
    await expect(verifier.verify(token)).rejects.toThrow(IdentityKeysUnavailableError);
    for (let i = 0; i < 100 && fetches < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fetches).toBe(2); // retried once, a cooldown later, without a request
    await moduleRef.close();
    const atClose = fetches;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fetches).toBe(atClose);
  });
});
