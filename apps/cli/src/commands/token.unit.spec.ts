import { createTokenVerifier } from '@nqpf/auth';
import { run } from './token';

const SEED = 'cli-token-spec';
/** Verifies as a service started with AUTH_DEV_IDENTITY=1 and the same key source would. */
const service = createTokenVerifier({ clockSkewS: 0, devIdentity: { seed: SEED } });
let out: string;
let err: string;

beforeEach(() => {
  out = '';
  err = '';
  process.env.AUTH_DEV_IDENTITY_SEED = SEED;
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.AUTH_DEV_IDENTITY_SEED;
});

describe('nqpf token', () => {
  it('prints a dev token for a district office of 南关区', async () => {
    expect(await run(['--role', 'district_office', '--district', '南关区'])).toBe(0);
    const payload = await service.verify(out.trim());
    expect(payload).toMatchObject({
      roles: ['district_office'],
      district: '南关区',
      sub: 'dev-district_office',
    });
  });

  it('takes several roles, the first being the default acting role, and a lifetime', async () => {
    expect(await run(['--role', 'expert,auditor', '--sub', 'e7', '--ttl', '120'])).toBe(0);
    const payload = await service.verify(out.trim());
    expect(payload).toMatchObject({ roles: ['expert', 'auditor'], sub: 'e7' });
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it.each([
    [[], /--role is required/],
    [['--role', 'admin'], /unknown role "admin"/],
    [['--role', 'operator'], /--center-id: required for the operator role/],
    [['--role', 'expert', '--ttl', '1h'], /--ttl: whole seconds/],
    [['--role', 'expert', '--colour', 'red'], /Unknown option '--colour'/],
  ])('exits 2 on invalid input %p, saying why', async (args, message) => {
    expect(await run(args as string[])).toBe(2);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });
});
