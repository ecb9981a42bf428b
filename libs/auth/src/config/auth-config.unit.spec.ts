import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_DISTRICT_UNITS } from '@nqpf/domain';
import { AuthConfigError } from '../errors';
import { AuthModule } from '../nest/auth.module';
import { loadAuthConfig } from './auth-config';
import { bodyLimitBytes, loadSecurityConfig } from './security-config';

const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();
const provider = { AUTH_ISSUER: 'https://idp.test', AUTH_AUDIENCE: 'nqpf-api', AUTH_PUBLIC_KEYS: pem };

describe('loadAuthConfig', () => {
  it('reads a provider configuration with a 30 s default clock skew', () => {
    expect(loadAuthConfig(provider)).toEqual({
      issuer: 'https://idp.test',
      audience: 'nqpf-api',
      jwksUrl: undefined,
      publicKeys: pem,
      clockSkewS: 30,
      jwksCacheS: 300,
      jwksStaleS: 86400,
      jwksCooldownS: 5,
      districtUnits: [...DEFAULT_DISTRICT_UNITS],
      devIdentity: false,
      nodeEnv: undefined,
    });
  });

  it('reads the key set cache settings and the district-level units', () => {
    const config = loadAuthConfig({
      ...provider,
      AUTH_JWKS_CACHE_S: '60',
      AUTH_JWKS_STALE_S: '0',
      AUTH_JWKS_COOLDOWN_S: '30',
      NQPF_DISTRICT_UNITS: '南关区, 长春国际汽车城',
    });
    expect(config).toMatchObject({
      jwksCacheS: 60,
      jwksStaleS: 0,
      jwksCooldownS: 30,
      districtUnits: ['南关区', '长春国际汽车城'],
    });
  });

  it('refuses the dev identity when NODE_ENV=production, saying why', () => {
    expect(() => loadAuthConfig({ ...provider, AUTH_DEV_IDENTITY: '1', NODE_ENV: 'production' })).toThrow(
      /AUTH_DEV_IDENTITY is enabled while NODE_ENV=production/,
    );
  });

  it.each(['prod', 'staging', 'Production'])('refuses the dev identity under NODE_ENV=%s too', (nodeEnv) => {
    expect(() => loadAuthConfig({ ...provider, AUTH_DEV_IDENTITY: '1', NODE_ENV: nodeEnv })).toThrow(
      `AUTH_DEV_IDENTITY is enabled while NODE_ENV=${nodeEnv}`,
    );
  });

  it.each(['development', 'test'])('trusts the dev identity under NODE_ENV=%s', (nodeEnv) => {
    const env = { AUTH_DEV_IDENTITY: '1', AUTH_DEV_IDENTITY_SEED: 'x', NODE_ENV: nodeEnv };
    expect(loadAuthConfig(env).devIdentity).toEqual({ seed: 'x' });
  });

  it.each([
    [undefined, 'NODE_ENV is unset'],
    ['', 'NODE_ENV is empty'],
    ['development ', 'NODE_ENV=development '],
  ])('refuses the dev identity when NODE_ENV is not explicitly development or test (%p)', (nodeEnv, said) => {
    // Beside the production provider, with the seed docker-compose.yml publishes.
    const env = {
      ...provider,
      AUTH_DEV_IDENTITY: '1',
      AUTH_DEV_IDENTITY_SEED: 'nqpf-compose-dev',
      ...(nodeEnv === undefined ? {} : { NODE_ENV: nodeEnv }),
    };
    expect(() => loadAuthConfig(env)).toThrow(`AUTH_DEV_IDENTITY is enabled while ${said}`);
    expect(() => loadAuthConfig(env)).toThrow('only with NODE_ENV=development or test');
  });

  it('refuses to start a module with the dev identity in production', () => {
    expect(() =>
      AuthModule.forRoot({ clockSkewS: 30, devIdentity: { seed: 's' }, nodeEnv: 'production' }),
    ).toThrow(AuthConfigError);
  });

  it('trusts the dev identity only when asked explicitly', () => {
    expect(
      loadAuthConfig({ AUTH_DEV_IDENTITY: '1', AUTH_DEV_IDENTITY_SEED: 'x', NODE_ENV: 'test' }).devIdentity,
    ).toEqual({ seed: 'x' });
    expect(() => loadAuthConfig({ NODE_ENV: 'test' })).toThrow(/no token issuer is trusted/);
    expect(() => loadAuthConfig({ AUTH_DEV_IDENTITY: 'yes' })).toThrow(
      'AUTH_DEV_IDENTITY must be 1 or 0, got "yes"',
    );
  });

  it.each([
    [{ ...provider, AUTH_ISSUER: '' }, /AUTH_ISSUER is required/],
    [{ ...provider, AUTH_AUDIENCE: '' }, /AUTH_AUDIENCE is required/],
    [{ ...provider, AUTH_CLOCK_SKEW_S: '2.5' }, /AUTH_CLOCK_SKEW_S must be whole seconds/],
    [{ ...provider, AUTH_CLOCK_SKEW_S: '301' }, /AUTH_CLOCK_SKEW_S must be an integer from 0 to 300/],
    [{ ...provider, AUTH_JWKS_URL: 'not a url' }, /AUTH_JWKS_URL is not a URL/],
    [{ ...provider, AUTH_JWKS_URL: 'http://idp/jwks', NODE_ENV: 'production' }, /must use https/],
    [{ ...provider, AUTH_JWKS_URL: 'http://idp/jwks', NODE_ENV: 'staging' }, /must use https/],
    [{ ...provider, AUTH_JWKS_URL: 'http://idp/jwks', NODE_ENV: 'Production' }, /must use https/],
    [{ ...provider, AUTH_PUBLIC_KEYS: 'nonsense' }, /AUTH_PUBLIC_KEYS must be PEM/],
    [{ ...provider, AUTH_JWKS_CACHE_S: '0' }, /AUTH_JWKS_CACHE_S must be whole seconds from 1 to 3600/],
    [
      { ...provider, AUTH_JWKS_CACHE_S: '5m' },
      /AUTH_JWKS_CACHE_S must be whole seconds from 1 to 3600, got "5m"/,
    ],
    [
      { ...provider, AUTH_JWKS_STALE_S: '604801' },
      /AUTH_JWKS_STALE_S must be whole seconds from 0 to 604800/,
    ],
    [{ ...provider, AUTH_JWKS_COOLDOWN_S: '0' }, /AUTH_JWKS_COOLDOWN_S must be whole seconds from 1 to 300/],
    [{ ...provider, NQPF_DISTRICT_UNITS: ' , ' }, /NQPF_DISTRICT_UNITS must name at least one unit/],
    // As the services' own configuration does: reporting, assessment and finance read the list only here.
    [
      { ...provider, NQPF_DISTRICT_UNITS: '南关区,朝阳区, 南关区' },
      /NQPF_DISTRICT_UNITS names 南关区 more than once/,
    ],
  ])('refuses %p naming the variable', (env, message) => {
    expect(() => loadAuthConfig(env)).toThrow(message);
  });

  it('accepts several audiences', () => {
    expect(loadAuthConfig({ ...provider, AUTH_AUDIENCE: 'a, b' }).audience).toEqual(['a', 'b']);
  });
});

describe('loadSecurityConfig', () => {
  it('has safe defaults', () => {
    expect(loadSecurityConfig({})).toEqual({
      trustProxy: false,
      corsOrigins: [],
      bodyLimit: '100kb',
      rateLimit: { limit: 60, windowS: 60 },
      objectionRateLimit: { limit: 10, windowS: 3600 },
    });
  });

  it('reads proxies, origins, limits', () => {
    expect(
      loadSecurityConfig({
        SECURITY_TRUST_PROXY: '1',
        SECURITY_CORS_ORIGINS: 'https://a.test, https://b.test',
        SECURITY_BODY_LIMIT: '1mb',
        SECURITY_RATE_LIMIT: '10',
        SECURITY_RATE_WINDOW_S: '30',
        SECURITY_OBJECTION_RATE_LIMIT: '3',
        SECURITY_OBJECTION_RATE_WINDOW_S: '86400',
      }),
    ).toEqual({
      trustProxy: 1,
      corsOrigins: ['https://a.test', 'https://b.test'],
      bodyLimit: '1mb',
      rateLimit: { limit: 10, windowS: 30 },
      objectionRateLimit: { limit: 3, windowS: 86400 },
    });
    expect(loadSecurityConfig({ SECURITY_TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });

  it('refuses nonsense, naming the variable', () => {
    expect(() => loadSecurityConfig({ SECURITY_RATE_LIMIT: '0' })).toThrow(
      /SECURITY_RATE_LIMIT must be a positive/,
    );
    expect(() => loadSecurityConfig({ SECURITY_BODY_LIMIT: 'lots' })).toThrow(/SECURITY_BODY_LIMIT/);
  });

  it('counts a body limit in bytes as body-parser does (1kb = 1024)', () => {
    expect(bodyLimitBytes('100kb')).toBe(102_400);
    expect(bodyLimitBytes('512KB')).toBe(524_288);
    expect(bodyLimitBytes('1mb')).toBe(1_048_576);
    expect(bodyLimitBytes('2048')).toBe(2048);
    expect(() => bodyLimitBytes('1gb')).toThrow(AuthConfigError);
  });
});
