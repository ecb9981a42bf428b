import { DevTokenRequestError, isTokenRole, mintDevToken, TOKEN_ROLES, TokenRole } from '@nqpf/auth';
import { required, runCommand } from '../options';
import { UsageError } from '../usage';

export const summary = 'print a development token (local dev identity; never in production)';

const USAGE = `usage: nqpf token --role <role>[,<role>…] [--district <unit>] [--center-id <id>] [--sub <id>] [--name <name>] [--ttl <seconds>]
roles: ${TOKEN_ROLES.join(', ')}
Services trust it with AUTH_DEV_IDENTITY=1 (key in .local/dev-identity/, or AUTH_DEV_IDENTITY_SEED).`;

const COMMAND = {
  name: 'token',
  usage: USAGE,
  options: {
    role: { type: 'string', multiple: true },
    district: { type: 'string' },
    'center-id': { type: 'string' },
    sub: { type: 'string' },
    name: { type: 'string' },
    ttl: { type: 'string' },
  },
} as const;

export async function run(args: string[]): Promise<number> {
  return runCommand(COMMAND, args, async ({ values }) => {
    const roles = required(
      (values.role ?? [])
        .flatMap((r) => r.split(','))
        .map((r) => r.trim())
        .filter(Boolean),
      'role',
    );
    const unknown = roles.find((r) => !isTokenRole(r));
    if (unknown) throw new UsageError(`--role: unknown role "${unknown}"`);
    if (values.ttl !== undefined && !/^\d+$/.test(values.ttl)) throw new UsageError('--ttl: whole seconds');
    const [role, ...moreRoles] = roles as TokenRole[];
    try {
      const token = await mintDevToken({
        role,
        moreRoles,
        district: values.district,
        centerId: values['center-id'],
        sub: values.sub,
        name: values.name,
        ttl: values.ttl === undefined ? undefined : Number(values.ttl),
      });
      process.stdout.write(`${token}\n`);
      return 0;
    } catch (err) {
      if (err instanceof DevTokenRequestError)
        throw new UsageError(err.message.replace(/^centerId:/, '--center-id:'));
      process.stderr.write(`nqpf token: ${(err as Error).message}\n`);
      return 1;
    }
  });
}
