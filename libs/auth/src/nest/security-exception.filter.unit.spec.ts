import { DatabaseError } from 'pg';
import { bundledCalendar } from '@nqpf/rules';
import { HttpStatus } from '@nestjs/common';
import { NotReadyYet } from '@nqpf/messaging';
import { errorBody, RetryLaterException, retryAfterOf } from './security-exception.filter';

describe('errorBody', () => {
  const pgError = (code: string) => {
    const error = new DatabaseError('value "2147483648" is out of range for type integer', 0, 'error');
    error.code = code;
    error.severity = 'ERROR';
    return error;
  };

  it('answers a PostgreSQL data exception (class 22) as a 400 that does not echo the database message', () => {
    for (const code of ['22003', '22021', '22P02', '22007']) {
      expect(errorBody(pgError(code))).toEqual({
        statusCode: 400,
        error: 'invalid_input',
        message: 'a value in the request is out of range or malformed for its type',
      });
    }
  });

  it('answers a lost database connection as a 503 to retry, whatever the driver said', () => {
    for (const error of [
      pgError('57P01'),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      new Error('Connection terminated unexpectedly'),
    ]) {
      expect(errorBody(error)).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(retryAfterOf(error)).toBe(1);
    }
  });

  it('says when to retry only for refusals that pass by themselves', () => {
    const busy = new RetryLaterException(HttpStatus.TOO_MANY_REQUESTS, 'at: 2 replays running', 5);
    expect(errorBody(busy)).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'at: 2 replays running',
    });
    expect(retryAfterOf(busy)).toBe(5);
    expect(retryAfterOf(pgError('22003'))).toBeUndefined();
    expect(retryAfterOf(new Error('x'))).toBeUndefined();
  });

  it('answers a precondition the service is still catching up on as a 503 to retry in a second', () => {
    const waiting = new NotReadyYet('the copy of the policy book has not caught up yet');
    expect(errorBody(waiting)).toEqual({
      statusCode: 503,
      error: 'not_ready',
      message: 'the copy of the policy book has not caught up yet',
    });
    expect(retryAfterOf(waiting)).toBe(1);
  });

  it('answers a working day in a year without holiday data as a 503 naming the year, not a 500', () => {
    let error: unknown;
    try {
      bundledCalendar().addWorkingDays('2026-12-28', 5);
    } catch (err) {
      error = err;
    }
    expect(errorBody(error)).toMatchObject({
      statusCode: 503,
      error: 'calendar_year_not_covered',
      year: 2027,
      coveredYears: [2025, 2026],
    });
  });

  it('leaves other database errors, and look-alikes that are not PostgreSQL errors, a 500', () => {
    for (const error of [pgError('23505'), Object.assign(new Error('x'), { code: '22003' })]) {
      expect(errorBody(error)).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'internal error',
      });
    }
  });
});
