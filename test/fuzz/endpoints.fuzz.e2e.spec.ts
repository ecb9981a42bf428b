import fc from 'fast-check';
import request from 'supertest';
import type { TokenRole } from '@nqpf/auth';
import { ServiceUnderTest, startService, testEnvironment, uniqueName } from '@nqpf/testing';
import { BadInput, badInputs, oversizedInputs } from './bad-inputs';
import { fillPath, Operation, operationsWithInput } from './openapi-operations';
import { responseProblems } from './response-checks';
import { ALL_SERVICES } from './services';

/**
 * Every operation of every service, as its OpenAPI document lists it, gets property-based bad input
 * (wrong types, missing and extra fields, prototype keys, unicode edge cases, hostile numbers, malformed
 * JSON, broken path escapes, odd query strings) plus oversized bodies, sent with a token of a role the
 * route admits. Each answer must be a JSON 4xx naming the problem (or a 2xx), never a 5xx or a leak, and
 * a 4xx must leave the service's event store as it was. Runs are bounded; FUZZ_SEED replays one.
 */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/** FUZZ_SERVICES=intake,finance narrows a local run; CI fuzzes all six. */
const SERVICES = ALL_SERVICES.filter(
  (s) => !process.env.FUZZ_SERVICES || process.env.FUZZ_SERVICES.split(',').includes(s.name),
);
const ROLE_ORDER: TokenRole[] = [
  'city_bureau',
  'district_office',
  'operator',
  'expert',
  'finance_officer',
  'auditor',
];

describe(`bad input on every endpoint (FUZZ_SEED=${SEED})`, () => {
  const environment = testEnvironment(uniqueName('fuzz'));
  const running = new Map<string, ServiceUnderTest>();

  beforeAll(async () => {
    await Promise.all(
      SERVICES.map(async (s) => running.set(s.name, await startService(s.name, environment, s.build))),
    );
  }, 60000);

  afterAll(async () => {
    await Promise.all([...running.values()].map((s) => s.close()));
  });

  it.each(SERVICES.map((s) => [s.name, s.hasEventStore] as const))(
    '%s answers every bad input with a JSON 4xx naming the problem, and a 4xx writes nothing',
    async (name, hasEventStore) => {
      const service = running.get(name)!;
      const server = service.app.getHttpServer();
      const docs = await request(server).get('/docs-json').expect(200);
      const operations = operationsWithInput(docs.body);
      expect(operations.length).toBeGreaterThan(0);
      const tokens = await tokensFor(service);
      const events = async () =>
        hasEventStore
          ? Number(
              (await service.db.pool.query(`select count(*)::int as n from event_store.events`)).rows[0].n,
            )
          : 0;

      const failures: string[] = [];
      for (const op of operations) {
        const token = await admittedToken(server, op, tokens);
        const inputs = [
          ...fc.sample(badInputs(op), { numRuns: RUNS_PER_OPERATION, seed: SEED }),
          ...oversizedInputs(op),
        ];
        for (const input of inputs) {
          const before = await events();
          const res = await send(server, op, input, token);
          const problems = responseProblems(res);
          if (res.status >= 400 && (await events()) !== before) problems.push('events appended on a 4xx');
          if (problems.length > 0) failures.push(describeFailure(name, op, input, res.status, problems));
        }
      }
      expect(failures).toEqual([]);
    },
    60000,
  );
});

type Server = Parameters<typeof request>[0];

async function tokensFor(service: ServiceUnderTest): Promise<Map<TokenRole, string>> {
  const claims = { district: '南关区', centerId: 'fuzz-center', sub: 'fuzz-user' };
  const entries = await Promise.all(
    ROLE_ORDER.map(async (role) => [role, await service.token({ role, ...claims })] as const),
  );
  return new Map(entries);
}

/** The first role (bureau first) the route's guard admits; a refused role's 403 says "may not call this route". */
async function admittedToken(server: Server, op: Operation, tokens: Map<TokenRole, string>): Promise<string> {
  for (const role of ROLE_ORDER) {
    const probe: BadInput = { kind: 'probe', body: op.body ? '{}' : undefined, path: {}, query: '' };
    const res = await send(server, op, probe, tokens.get(role)!);
    if (!(res.status === 403 && /may not call this route/.test(res.text))) return tokens.get(role)!;
  }
  throw new Error(`${op.method.toUpperCase()} ${op.path} admits none of ${ROLE_ORDER.join(', ')}`);
}

async function send(server: Server, op: Operation, input: BadInput, token: string) {
  const url = fillPath(op.path, input.path) + (input.query ? `?${input.query}` : '');
  let req = request(server)[op.method](url).set('authorization', `Bearer ${token}`);
  if (input.body !== undefined) req = req.set('content-type', 'application/json').send(input.body);
  return req;
}

function describeFailure(
  service: string,
  op: Operation,
  input: BadInput,
  status: number,
  problems: string[],
): string {
  const shown = (s: string | undefined) =>
    s && s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
  return `${service} ${op.method.toUpperCase()} ${op.path} [${input.kind}] → ${status}: ${problems.join('; ')}\n  path=${JSON.stringify(input.path, (_, v) => (typeof v === 'string' ? shown(v) : v))} query=${shown(input.query)} body=${JSON.stringify(shown(input.body))}`;
}
