import type { TokenVerifier } from '@nqpf/auth';
import { Gauge, type Registry } from 'prom-client';
import { HealthRegistry } from './health';

/**
 * The identity provider's key set (AUTH_JWKS_URL) as this replica holds it. A failing read is served from
 * the last set read (AUTH_JWKS_STALE_S), so requests do not show it: /health names it, without taking
 * the replica out of the load balancer (every replica reads the same provider), and two gauges carry it
 * to the alerts.
 */
export function reportIdentityKeys(
  verifier: TokenVerifier,
  health: HealthRegistry,
  registry: Registry,
): void {
  const status = verifier.keySetStatus?.bind(verifier);
  if (!status) return;
  health.register(
    'identity_keys',
    async () => {
      const s = status();
      if (!s.failing) return;
      const using = s.ageS === undefined ? 'no set read yet' : `verifying with the set read ${s.ageS} s ago`;
      throw new Error(`${s.jwksUrl} not read since ${s.failingSince} (${s.lastError}); ${using}`);
    },
    { gatesTraffic: false },
  );
  new Gauge({
    name: 'nqpf_identity_keys_age_seconds',
    help: 'Seconds since the identity provider key set in use was read (none read yet: no sample)',
    registers: [registry],
    collect() {
      const { ageS } = status();
      if (ageS === undefined) this.reset();
      else this.set(ageS);
    },
  });
  new Gauge({
    name: 'nqpf_identity_keys_refresh_failing',
    help: '1 while reads of the identity provider key set fail (the last set read is used meanwhile)',
    registers: [registry],
    collect() {
      this.set(status().failing ? 1 : 0);
    },
  });
}
