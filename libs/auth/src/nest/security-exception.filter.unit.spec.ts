import type { ArgumentsHost } from '@nestjs/common';
import { NotReadyYet, TruncatedTopicError } from '@nqpf/messaging';
import { IdentityKeysUnavailableError } from '../errors';
import {
  IllegalTransitionError,
  NotFoundError,
  UnknownEventTypeError,
  UnknownSchemaVersionError,
} from '@nqpf/domain';
import {
  boundedErrorBody,
  bodyParserError,
  errorBody,
  MAX_ERROR_TEXT,
  SecurityExceptionFilter,
} from './security-exception.filter';

/** The filter on a fake HTTP context: what it answers and how it logs. */
function answer(error: unknown, fields: object[] = []) {
  const logged: { level: string; msg?: string }[] = [];
  const log = (level: string) => (obj: object, msg?: string) => {
    fields.push(obj);
    logged.push({ level, msg });
  };
  const filter = new SecurityExceptionFilter({ info: log('info'), warn: log('warn'), error: log('error') });
  const res = {
    headers: {} as Record<string, string>,
    statusCode: 0,
    setHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    },
    removeHeader() {},
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    type() {
      return this;
    },
    json() {
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ method: 'POST', url: '/x', route: { path: '/x' } }),
      getResponse: () => res,
    }),
  } as unknown as ArgumentsHost;
  filter.catch(error, host);
  return { status: res.statusCode, retryAfter: res.headers['retry-after'], logged };
}

describe('SecurityExceptionFilter logging of 5xx', () => {
  it('logs what passes by itself (503 with Retry-After) as a warning', () => {
    expect(answer(new NotReadyYet('the copy is behind'))).toEqual({
      status: 503,
      retryAfter: '1',
      logged: [{ level: 'warn', msg: 'request deferred' }],
    });
  });

  it('answers an identity provider whose keys cannot be read with a 503 to retry, its cause in the log only', () => {
    const cause = new IdentityKeysUnavailableError(
      'identity provider key set unavailable: connect ECONNREFUSED',
    );
    expect(answer(cause)).toEqual({
      status: 503,
      retryAfter: '5',
      logged: [{ level: 'warn', msg: 'request deferred' }],
    });
    expect(errorBody(cause)).toEqual({
      statusCode: 503,
      error: 'identity_keys_unavailable',
      message: "the identity provider's keys cannot be read now; retry",
    });
  });

  it('answers a replica older than the object 503 with Retry-After, naming the type; logs it as an error', () => {
    const error = new UnknownEventTypeError('application-a1', 7, 'intake.application-noted');
    expect(answer(error)).toEqual({
      status: 503,
      retryAfter: '5',
      logged: [{ level: 'error', msg: 'replica older than object: unknown event type in its stream' }],
    });
    expect(errorBody(error)).toEqual({
      statusCode: 503,
      error: 'replica_older_than_object',
      message: expect.stringContaining('intake.application-noted'),
      eventType: 'intake.application-noted',
    });
  });

  it('answers a replica meeting a schema version of a known type it does not know alike, naming type and version', () => {
    const error = new UnknownSchemaVersionError('application-a1', 7, 'intake.application-amended', 99);
    const fields: object[] = [];
    expect(answer(error, fields)).toEqual({
      status: 503,
      retryAfter: '5',
      logged: [{ level: 'error', msg: 'replica older than object: unknown event type in its stream' }],
    });
    expect(fields).toEqual([
      {
        route: 'POST /x',
        streamId: 'application-a1',
        version: 7,
        eventType: 'intake.application-amended',
        schemaVersion: 99,
      },
    ]);
    expect(errorBody(error)).toEqual({
      statusCode: 503,
      error: 'replica_older_than_object',
      message: expect.stringContaining(
        'does not know schema version 99 of the event type intake.application-amended recorded on this object',
      ),
      eventType: 'intake.application-amended',
    });
  });

  it('logs any other failure as an error', () => {
    expect(answer(new Error('boom'))).toMatchObject({
      status: 500,
      logged: [{ level: 'error', msg: 'request failed' }],
    });
  });
});

describe('errorBody of a replay refused for a truncated topic', () => {
  it('says which topic and partition lost records, not an unexplained internal error', () => {
    expect(errorBody(new TruncatedTopicError('nqpf.finance.events', 3, '120'))).toEqual({
      statusCode: 500,
      error: 'topic_truncated',
      message: expect.stringContaining('nqpf.finance.events partition 3 starts at offset 120'),
    });
    expect(errorBody(new Error('password is hunter2'))).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'internal error',
    });
  });
});

describe('413: the answer says the limit', () => {
  it("names the body and the parser's limit in bytes", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
      limit: 102_400,
      length: 150_000,
    });
    expect(bodyParserError(tooLarge)).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message:
        'request body too large: this route takes at most 102400 bytes of JSON (counted after any Content-Encoding is undone)',
      field: 'body',
      limitBytes: 102_400,
    });
  });
});

describe('error answers are bounded', () => {
  it('cuts a text built from input (an id in a 404 or a 409) after MAX_ERROR_TEXT characters', () => {
    const id = '长'.repeat(30_000);
    const notFound = boundedErrorBody(errorBody(new NotFoundError('recognised center', id)));
    expect(notFound.message).toHaveLength(MAX_ERROR_TEXT + 1);
    expect(notFound.message.endsWith('…')).toBe(true);
    expect(String(notFound.id)).toHaveLength(MAX_ERROR_TEXT + 1);
    const conflict = boundedErrorBody(
      errorBody(new IllegalTransitionError(`expert ${id} not assigned`, 'unassign expert')),
    );
    expect(JSON.stringify(conflict).length).toBeLessThan(4 * MAX_ERROR_TEXT);
    expect(conflict).toMatchObject({ statusCode: 409, attemptedAction: 'unassign expert' });
  });

  it('leaves an ordinary answer as it is', () => {
    const body = errorBody(new NotFoundError('recognised center', 'c-1'));
    expect(boundedErrorBody(body)).toEqual(body);
  });
});
