import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_DISTRICT_UNITS } from '@nqpf/domain';
import { AuthConfig } from '../config/auth-config';
import { mintDevToken } from '../dev-identity/mint-dev-token';
import {
  createTestProvider,
  forgeToken,
  hs256WithPublicKey,
  recordingLogger,
  signToken,
  standardClaims,
} from '../test-support/provider';
import { buildTestApp } from '../test-support/test-app';

const provider = createTestProvider();
const DEV = { seed: 'auth-http-spec' };
const authConfig: AuthConfig = {
  issuer: provider.issuer,
  audience: provider.audience,
  publicKeys: provider.publicKeysPem,
  clockSkewS: 30,
  devIdentity: DEV,
  nodeEnv: 'test',
};
const logger = recordingLogger();
let app: INestApplication;

beforeAll(async () => {
  app = await buildTestApp(authConfig, logger, { bodyLimit: '1kb', corsOrigins: ['https://portal.test'] });
});
afterAll(() => app.close());

const get = (path: string, token?: string) => {
  const req = request(app.getHttpServer()).get(path);
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
};
const post = (path: string, token: string | undefined, body: object) => {
  const req = request(app.getHttpServer()).post(path);
  return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
};
const bureau = { sub: 'official-1', roles: ['city_bureau'] };

describe('authentication', () => {
  it('accepts an RS256 token of the configured provider and exposes the actor', async () => {
    const token = await signToken(provider, { ...bureau, name: '王科长' });
    const res = await get('/whoami', token).expect(200);
    expect(res.body).toEqual({ id: 'official-1', role: 'city_bureau', district: null, centerId: null });
  });

  it('accepts an ES256 token of the configured provider', async () => {
    await get('/whoami', await signToken(provider, bureau, { alg: 'ES256' })).expect(200);
  });

  const attacks: Array<[string, () => Promise<string> | string, string]> = [
    [
      'alg none',
      () => forgeToken({ alg: 'none', typ: 'JWT' }, standardClaims(provider), () => ''),
      'malformed token',
    ],
    [
      'alg none with a junk signature',
      () => forgeToken({ alg: 'none' }, standardClaims(provider), () => 'AAAA'),
      'invalid token',
    ],
    [
      'a key the provider does not own',
      () =>
        signToken(provider, bureau, { key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }),
      'invalid token',
    ],
    [
      'HS256 signed with the public key (HS/RS confusion)',
      () => hs256WithPublicKey(provider, standardClaims(provider)),
      'invalid token',
    ],
    ['expired beyond the clock skew', () => signToken(provider, bureau, { expiresIn: -31 }), 'token expired'],
    [
      'not valid yet beyond the clock skew',
      () => signToken(provider, bureau, { notBeforeIn: 40 }),
      'token not yet valid',
    ],
    ['without an expiry', () => signToken(provider, bureau, { expiresIn: null }), 'invalid token'],
    ['a wrong issuer', () => signToken(provider, bureau, { issuer: 'https://evil.test' }), 'invalid token'],
    ['a wrong audience', () => signToken(provider, bureau, { audience: 'another-api' }), 'invalid token'],
    [
      'the dev issuer signed by a non-dev key',
      () => signToken(provider, bureau, { issuer: 'nqpf-dev-identity', audience: 'nqpf' }),
      'invalid token',
    ],
    ['a malformed token', () => 'not.a-jwt', 'malformed token'],
    ['a token whose parts do not decode', () => 'eyJhbGciOi.eyJzdWIi.c2ln', 'malformed token'],
  ];
  it.each(attacks)('refuses %s with 401 and a JSON body', async (_, make, message) => {
    const res = await get('/whoami', await make()).expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message });
    expect(res.headers['www-authenticate']).toContain('Bearer');
  });

  it('refuses a request without a token', async () => {
    const res = await get('/whoami').expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'missing bearer token' });
  });

  it('refuses an Authorization header that is not Bearer', async () => {
    const res = await request(app.getHttpServer())
      .get('/whoami')
      .set('Authorization', 'Basic dXNlcjpwYXNz')
      .expect(401);
    expect(res.body.message).toBe('malformed authorization header');
  });

  it('tolerates expiry and not-before within the clock skew', async () => {
    await get('/whoami', await signToken(provider, bureau, { expiresIn: -10 })).expect(200);
    await get('/whoami', await signToken(provider, bureau, { notBeforeIn: 10 })).expect(200);
  });

  it('lets public routes through without a token and ignores a bad one there', async () => {
    await get('/health').expect(200);
    await get('/health/live').expect(200);
    const res = await get('/published-list', 'garbage').expect(200);
    expect(res.body).toEqual({ viewer: null });
  });

  it('logs the precise reason of a 401 but never the token', async () => {
    const token = await signToken(provider, bureau, { audience: 'another-api' });
    await get('/whoami', token).expect(401);
    const logged = JSON.stringify(logger.entries);
    expect(logged).toContain('aud');
    expect(logged).not.toContain(token);
  });
});

describe('acting role', () => {
  const multi = () => signToken(provider, { sub: 'person-1', roles: ['expert', 'auditor'] });

  it('acts as the first role of the token by default', async () => {
    expect((await get('/whoami', await multi()).expect(200)).body.role).toBe('expert');
  });

  it('acts as the role named by X-Acting-Role when the token grants it', async () => {
    const res = await get('/whoami', await multi())
      .set('X-Acting-Role', 'auditor')
      .expect(200);
    expect(res.body.role).toBe('auditor');
  });

  it('refuses an X-Acting-Role the token does not grant', async () => {
    await get('/whoami', await multi())
      .set('X-Acting-Role', 'city_bureau')
      .expect(403);
  });

  it('refuses a district_office token without a district claim', async () => {
    await get('/whoami', await signToken(provider, { sub: 'd', roles: ['district_office'] })).expect(403);
  });

  it('refuses a district claim that is not exactly a configured unit (A3), naming it and the units', async () => {
    for (const [district, shown] of [
      ['南关区 ', '南关区\\u{20}'],
      ['南关\u200b区', '南关\\u{200B}区'],
    ]) {
      const token = await signToken(provider, { sub: 'd', roles: ['district_office'], district });
      const res = await get('/centers', token).expect(403);
      expect(res.body.message).toBe(
        `the district claim "${shown}" is not one of the configured district-level units (NQPF_DISTRICT_UNITS: ${DEFAULT_DISTRICT_UNITS.join(', ')})`,
      );
    }
    const exact = await signToken(provider, { sub: 'd', roles: ['district_office'], district: '南关区' });
    expect((await get('/centers', exact).expect(200)).body.length).toBeGreaterThan(0);
  });

  it('names the wrong type of a numeric center_id claim (A4), not a missing one', async () => {
    const token = await signToken(provider, { sub: 'o', roles: ['operator'], center_id: 12345 });
    const res = await get('/whoami', token).expect(403);
    expect(res.body.message).toBe('the center_id claim must be text (a JSON string), got number');
  });
});

describe('the development identity', () => {
  it('is announced at start by a service that trusts it', async () => {
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        obj: expect.objectContaining({ event: 'development_identity_trusted', issuer: 'nqpf-dev-identity' }),
      }),
    );
    const quiet = recordingLogger();
    const other = await buildTestApp({ ...authConfig, devIdentity: false }, quiet);
    await other.close();
    expect(quiet.entries.filter((e) => e.level === 'warn')).toEqual([]);
  });
});

describe('route roles', () => {
  it('refuses a role the route does not list', async () => {
    const res = await post('/disbursements', await mintDevToken({ role: 'city_bureau' }, DEV), {}).expect(
      403,
    );
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'role city_bureau may not call this route',
    });
  });

  it('admits nobody to a route that forgot @Roles', async () => {
    await get('/forgotten-roles', await mintDevToken({ role: 'city_bureau' }, DEV)).expect(403);
  });

  it('refuses any write by an auditor', async () => {
    const token = await mintDevToken({ role: 'auditor' }, DEV);
    const res = await post('/centers/center-a/notes', token, { text: 'x' }).expect(403);
    expect(res.body.message).toBe('auditors read everything and change nothing');
  });

  it('lets an auditor call a non-GET route marked read-only', async () => {
    await post('/audit/replay', await mintDevToken({ role: 'auditor' }, DEV), {}).expect(201);
  });
});

describe('object access', () => {
  const operatorA = () => mintDevToken({ role: 'operator', centerId: 'center-a', sub: 'op-a' }, DEV);
  const nanguan = () => mintDevToken({ role: 'district_office', district: '南关区', sub: 'nanguan-1' }, DEV);

  it('lets operator A read its own center and answers center B as an unknown id', async () => {
    await get('/centers/center-a', await operatorA()).expect(200);
    const res = await get('/centers/center-b', await operatorA()).expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: 'center center-b not found',
      what: 'center',
      id: 'center-b',
    });
    // Exactly what an id that names nothing gets, but for the id sent.
    const unknown = await get('/centers/center-z', await operatorA()).expect(404);
    expect(JSON.stringify(unknown.body).replaceAll('center-z', 'center-b')).toBe(JSON.stringify(res.body));
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(res.headers).sort());
  });

  it('answers other domain errors with their status and details', async () => {
    const res = await get('/centers/nowhere', await operatorA()).expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: 'center nowhere not found',
      what: 'center',
      id: 'nowhere',
    });
  });

  it('refuses a 南关区 office on a 高新区 center as not found and logs who, where and why', async () => {
    const refused = await get('/centers/center-b', await nanguan()).expect(404);
    // The answer does not say where another district's object is.
    expect(JSON.stringify(refused.body)).not.toContain('高新区');
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        obj: expect.objectContaining({
          event: 'access_denied',
          status: 404,
          actorId: 'nanguan-1',
          role: 'district_office',
          route: 'GET /centers/:id',
          objectId: 'center-b',
          reason: 'object belongs to another district',
        }),
      }),
    );
  });

  it('refuses a write by a 南关区 office on a 高新区 center as not found', async () => {
    await post('/centers/center-b/notes', await nanguan(), { text: 'x' }).expect(404);
    await post('/centers/center-a/notes', await nanguan(), { text: 'x' }).expect(201);
  });

  it('lists only the rows within the actor scope', async () => {
    expect((await get('/centers', await nanguan()).expect(200)).body).toEqual(['center-a', 'center-c']);
    expect((await get('/centers', await operatorA()).expect(200)).body).toEqual(['center-a']);
    const expert = await mintDevToken({ role: 'expert', sub: 'expert-1' }, DEV);
    expect((await get('/centers', expert).expect(200)).body).toEqual(['center-a']);
    const all = await mintDevToken({ role: 'auditor' }, DEV);
    expect((await get('/centers', all).expect(200)).body).toEqual(['center-a', 'center-b', 'center-c']);
  });

  it('answers an expert on an application they declared a conflict with as not found', async () => {
    const expert = await mintDevToken({ role: 'expert', sub: 'expert-1' }, DEV);
    const res = await get('/centers/center-b', expert).expect(404);
    expect(res.body.message).toBe('center center-b not found');
  });
});

describe('input hardening', () => {
  const bureauToken = () => mintDevToken({ role: 'city_bureau' }, DEV);

  it.each(['status', 'district', 'centerId', 'actor', 'id'])(
    'refuses a body setting %s, naming it',
    async (field) => {
      const res = await post('/centers/center-a/notes', await bureauToken(), {
        text: 'x',
        [field]: 'y',
      }).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'invalid_input',
        message: `${field}: is set by the server and may not be sent`,
        field,
      });
    },
  );

  it('refuses input a route never reads: a body where it takes none, query parameters where it takes none', async () => {
    const officer = await mintDevToken({ role: 'finance_officer' }, DEV);
    const body = await post('/disbursements', officer, { amountFen: '100', reason: 'x' }).expect(400);
    expect(body.body).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'body: this route takes no body; remove amountFen, reason',
      field: 'body',
    });
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 1]));
    const listed = await post('/disbursements', officer, many).expect(400);
    expect(listed.body.message).toMatch(
      /^body: this route takes no body; remove k0, k1, .*, k9, and 20 more$/,
    );
    await post('/disbursements', officer, {}).expect(201);
    const query = await post('/disbursements?dryRun=true', officer, {}).expect(400);
    expect(query.body).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'dryRun: this route takes no query parameters; remove dryRun',
      field: 'dryRun',
    });
    const read = await get('/centers?district=南关区', await bureauToken()).expect(400);
    expect(read.body).toMatchObject({
      error: 'invalid_input',
      message: 'district: this route takes no query parameters; remove district',
      field: 'district',
    });
  });

  it('refuses If-Match on a route that checks no version, naming the header; lets through routes that do', async () => {
    const officer = await mintDevToken({ role: 'finance_officer' }, DEV);
    const withIfMatch = (path: string, ifMatch: string) => post(path, officer, {}).set('If-Match', ifMatch);
    for (const ifMatch of ['"3"', '3', '999999999', '*', 'W/"1"', '"1", "2"', 'abc']) {
      const res = await withIfMatch('/disbursements', ifMatch).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'invalid_input',
        message:
          'If-Match: this route does not check versions (a change made since the version you read would not be refused); remove If-Match',
        field: 'If-Match',
      });
    }
    // No token: still a 401 first, as for a body or a query parameter.
    await post('/disbursements', undefined, {}).set('If-Match', '"3"').expect(401);
    // An empty header is no If-Match; the same route without one, or with If-None-Match, runs.
    await withIfMatch('/disbursements', '').expect(201);
    await post('/disbursements', officer, {}).set('If-None-Match', '"3"').expect(201);
    // Marked as taking it (@TakesIfMatch / @IfMatch in libs/platform), or reading the header itself.
    await withIfMatch('/disbursements/d-1/revision', '"3"').expect(201, { revised: 'd-1' });
    await withIfMatch('/disbursements/d-1/withdrawal', '"3"').expect(201, {
      withdrawn: 'd-1',
      ifMatch: '"3"',
    });
    // A read: a conditional GET's If-None-Match is untouched; If-Match, which no read checks, is refused.
    await get('/centers/center-a', await bureauToken())
      .set('If-None-Match', '"3"')
      .expect(200);
    const read = await get('/centers/center-a', await bureauToken())
      .set('If-Match', '"3"')
      .expect(400);
    expect(read.body).toMatchObject({ error: 'invalid_input', field: 'If-Match' });
  });

  it('lets a route opt a deny-listed field back in', async () => {
    await post('/drafts', await bureauToken(), { title: 't', district: '南关区' }).expect(201);
  });

  it('refuses a prototype-polluting key at any depth', async () => {
    const body = '{"text":"x","nested":{"__proto__":{"admin":true}}}';
    const res = await request(app.getHttpServer())
      .post('/centers/center-a/notes')
      .set('Authorization', `Bearer ${await bureauToken()}`)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'nested.__proto__: is a prototype key, not allowed in a body',
      field: 'nested.__proto__',
    });
  });

  it('refuses a NUL or an unpaired surrogate in a path parameter or a body, naming where', async () => {
    const token = await bureauToken();
    const param = await get('/centers/a%00b', token).expect(400);
    expect(param.body).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'id: contains a NUL character',
      field: 'id',
    });
    const body = await post('/centers/center-a/notes', token, { text: 'x\ud800' }).expect(400);
    expect(body.body).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'text: contains an unpaired UTF-16 surrogate',
      field: 'text',
    });
  });

  it('refuses a path parameter that does not percent-decode, naming the path', async () => {
    const res = await get('/centers/%E0', await bureauToken()).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'path: has a %-escape that does not decode as UTF-8',
      field: 'path',
    });
  });

  it('refuses properties the DTO does not declare, naming them', async () => {
    const res = await post('/centers/center-a/notes', await bureauToken(), { text: 'x', extra: 1 }).expect(
      400,
    );
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'property extra should not exist',
      field: 'extra',
    });
  });

  it('answers a body over the limit with 413 as JSON, naming the body and the limit in bytes', async () => {
    const res = await post('/objections', undefined, { name: 'x'.repeat(2000), contact: 'c' }).expect(413);
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message:
        'request body too large: this route takes at most 1024 bytes of JSON (counted after any Content-Encoding is undone)',
      field: 'body',
      limitBytes: 1024,
    });
  });

  it.each([
    ['text/plain', '{"name":"n","contact":"c"}'],
    ['application/x-www-form-urlencoded', 'name=n&contact=c'],
  ])('refuses a body sent as %s with 415, not as no body', async (type, body) => {
    const res = await request(app.getHttpServer())
      .post('/objections')
      .set('Content-Type', type)
      .send(body)
      .expect(415);
    expect(res.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'content-type: a request body must be application/json',
    });
  });

  it('lets a command without a body through, whatever its content-type', async () => {
    const res = await request(app.getHttpServer()).post('/objections').set('Content-Type', 'text/plain');
    expect(res.status).not.toBe(415);
    expect((await request(app.getHttpServer()).post('/objections')).status).not.toBe(415);
  });

  it('answers malformed JSON with 400 as JSON', async () => {
    const res = await request(app.getHttpServer())
      .post('/objections')
      .set('Content-Type', 'application/json')
      .send('{"name":')
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'body: is not valid JSON',
      field: 'body',
    });
  });

  it.each(['gzip', 'deflate', 'br'])(
    'answers a body that is not valid %s with 400 as JSON',
    async (encoding) => {
      const res = await request(app.getHttpServer())
        .post('/objections')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('garbage')
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'invalid_input',
        message: 'body: could not be read as sent (its Content-Encoding or length)',
        field: 'body',
      });
    },
  );

  it('hides the cause of an internal error from the client', async () => {
    const res = await get('/boom', await bureauToken()).expect(500);
    expect(res.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
    const logged = logger.entries.find((e) => e.level === 'error')?.obj as { err?: Error; route?: string };
    expect(logged).toEqual({
      err: expect.objectContaining({ message: 'database password is hunter2' }),
      route: 'GET /boom',
    });
  });

  it('sends helmet headers and no X-Powered-By', async () => {
    const res = await get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await get('/health').set('Origin', 'https://portal.test');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.test');
    const other = await get('/health').set('Origin', 'https://evil.test');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // A browser client may send back as If-Match the version it read in an ETag.
    expect(allowed.headers['access-control-expose-headers']).toBe('ETag');
    const preflight = await request(app.getHttpServer())
      .options('/disbursements')
      .set('Origin', 'https://portal.test')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'if-match');
    expect(preflight.headers['access-control-allow-headers']).toContain('If-Match');
  });
});
