import path from 'node:path';

/** Where the development key pair comes from: a git-ignored folder, or derived from a seed (tests). */
export type DevIdentitySource = { dir: string } | { seed: string };

/** Dev tokens carry their own issuer and audience, so they can never pass as tokens of the real provider. */
export const DEV_ISSUER = 'nqpf-dev-identity';
export const DEV_AUDIENCE = 'nqpf';

/** `<repo>/.local/dev-identity` (.local/ is git-ignored). */
export const DEFAULT_DEV_IDENTITY_DIR = path.resolve(__dirname, '../../../../.local/dev-identity');

/** AUTH_DEV_IDENTITY_SEED derives the key (no files); otherwise AUTH_DEV_IDENTITY_DIR or the default folder. */
export function devIdentitySourceFromEnv(env: NodeJS.ProcessEnv): DevIdentitySource {
  if (env.AUTH_DEV_IDENTITY_SEED) return { seed: env.AUTH_DEV_IDENTITY_SEED };
  return { dir: env.AUTH_DEV_IDENTITY_DIR || DEFAULT_DEV_IDENTITY_DIR };
}
