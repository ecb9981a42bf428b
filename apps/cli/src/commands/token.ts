import { DevTokenRequestError, isTokenRole, mintDevToken, TOKEN_ROLES, TokenRole } from '@nqpf/auth';
import { invalidInput, parseCommandLine } from '../usage';

export const summary = 'print a development token (local dev identity; never in production)';

const USAGE = `usage: nqpf token --role <role>[,<role>…] [--district <unit>] [--center-id <id>] [--sub <id>] [--name <name>] [--ttl <seconds>]
roles: ${TOKEN_ROLES.join(', ')}
Services trust it with AUTH_DEV_IDENTITY=1 (key in .local/dev-identity/, or AUTH_DEV_IDENTITY_SEED).`;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseCommandLine({
      args,
      options: {
        role: { type: 'string', multiple: true },
        district: { type: 'string' },
        'center-id': { type: 'string' },
        sub: { type: 'string' },
        name: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return invalid((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const roles = (values.role ?? [])
    .flatMap((r) => r.split(','))
    .map((r) => r.trim())
    .filter(Boolean);
  if (roles.length === 0) return invalid('--role is required');
  const unknown = roles.find((r) => !isTokenRole(r));
  if (unknown) return invalid(`--role: unknown role "${unknown}"`);
  if (values.ttl !== undefined && !/^\d+$/.test(values.ttl)) return invalid('--ttl: whole seconds');
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
      return invalid(err.message.replace(/^centerId:/, '--center-id:'));
    process.stderr.write(`nqpf token: ${(err as Error).message}\n`);
    return 1;
  }
}

const invalid = (message: string) => invalidInput('token', message, USAGE);
