import type { KeySetStatus, TokenVerifier } from '@nqpf/auth';
import { Registry } from 'prom-client';
import { HealthRegistry } from './health';
import { reportIdentityKeys } from './identity-keys-report';

async function values(registry: Registry): Promise<Record<string, number | undefined>> {
  const metrics = await registry.getMetricsAsJSON();
  return Object.fromEntries(metrics.map((m) => [m.name, m.values[0]?.value]));
}

describe('the identity provider key set in /health and the metrics', () => {
  const jwksUrl = 'https://idp.test/jwks';
  let status: KeySetStatus;
  const verifier: TokenVerifier = { verify: async () => ({}), keySetStatus: () => status };

  it('reports a failing read in /health without gating traffic, and its age and failure as gauges', async () => {
    const health = new HealthRegistry();
    const registry = new Registry();
    reportIdentityKeys(verifier, health, registry);

    status = { jwksUrl, failing: false, ageS: 42 };
    expect(await health.run()).toEqual({ ready: true, serving: true, checks: { identity_keys: 'up' } });
    expect(await values(registry)).toEqual({
      nqpf_identity_keys_age_seconds: 42,
      nqpf_identity_keys_refresh_failing: 0,
    });

    status = {
      jwksUrl,
      failing: true,
      ageS: 900,
      failingSince: '2027-03-01T08:00:00.000Z',
      lastError: 'HTTP 503 instead of 200',
    };
    expect(await health.run()).toEqual({
      ready: false,
      serving: true,
      checks: {
        identity_keys:
          'down: https://idp.test/jwks not read since 2027-03-01T08:00:00.000Z (HTTP 503 instead of 200); verifying with the set read 900 s ago',
      },
    });
    expect(await values(registry)).toEqual({
      nqpf_identity_keys_age_seconds: 900,
      nqpf_identity_keys_refresh_failing: 1,
    });
  });

  it('adds nothing for a service without AUTH_JWKS_URL', async () => {
    const health = new HealthRegistry();
    const registry = new Registry();
    reportIdentityKeys({ verify: async () => ({}) }, health, registry);
    expect((await health.run()).checks).toEqual({});
    expect(await values(registry)).toEqual({});
  });
});
