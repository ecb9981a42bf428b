import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the development key pair comes from: a git-ignored folder, or derived from a seed (tests). */
export type DevIdentitySource = { dir: string } | { seed: string };

/** Dev tokens carry their own issuer and audience, so they can never pass as tokens of the real provider. */
export const DEV_ISSUER = 'nqpf-dev-identity';
export const DEV_AUDIENCE = 'nqpf';

/**
 * `<repo>/.local/dev-identity` (.local/ is git-ignored), the same folder whether the code runs from source or
 * compiled under dist/: services and the CLI that mints tokens must find one key pair. The repository is the
 * nearest folder above this file whose package.json declares the npm workspaces (else the working folder).
 */
export function defaultDevIdentityDir(from = __dirname): string {
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in JSON.parse(readFileSync(manifest, 'utf8')))
      return path.join(dir, '.local', 'dev-identity');
  }
  return path.resolve('.local', 'dev-identity');
}

/** AUTH_DEV_IDENTITY_SEED derives the key (no files); otherwise AUTH_DEV_IDENTITY_DIR or the default folder. */
export function devIdentitySourceFromEnv(env: NodeJS.ProcessEnv): DevIdentitySource {
  if (env.AUTH_DEV_IDENTITY_SEED) return { seed: env.AUTH_DEV_IDENTITY_SEED };
  return { dir: env.AUTH_DEV_IDENTITY_DIR || defaultDevIdentityDir() };
}
