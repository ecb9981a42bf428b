import { ArgumentsHost, Catch } from '@nestjs/common';
import type { Response } from 'express';
import { SecurityExceptionFilter } from '@nqpf/auth';
import { DomainError } from '@nqpf/domain';

/**
 * The one place errors become HTTP responses: domain errors keep their status and details (the field,
 * the rule, the current state), an optimistic-concurrency conflict is a 409, and everything else goes
 * through libs/auth's filter (401/403 with denial logging, Nest's HTTP errors, a 500 without a stack trace).
 */
@Catch()
export class ErrorsFilter extends SecurityExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    const domain = domainErrorBody(error);
    if (!domain) return super.catch(error, host);
    host.switchToHttp().getResponse<Response>().status(domain.statusCode).json(domain);
  }
}

export function domainErrorBody(
  error: unknown,
): ({ statusCode: number } & Record<string, unknown>) | undefined {
  if (error instanceof DomainError) {
    return { statusCode: error.status, error: error.code, message: error.message, ...error.details };
  }
  if (error instanceof Error && error.name === 'ConcurrencyConflictError') {
    return { statusCode: 409, error: 'concurrency_conflict', message: `${error.message}; reload and retry` };
  }
  return undefined;
}
