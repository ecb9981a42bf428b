import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '@nqpf/domain';

/**
 * The one place errors become HTTP responses: domain errors keep their status and details, Nest's HTTP
 * exceptions pass through, an optimistic-concurrency conflict is a 409, anything else is a 500 without
 * a stack trace (the trace goes to the log).
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = toResponse(error);
    if (status >= 500)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    res.status(status).json(body);
  }
}

export function toResponse(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof DomainError) {
    return {
      status: error.status,
      body: { statusCode: error.status, error: error.code, message: error.message, ...error.details },
    };
  }
  if (error instanceof HttpException) {
    const r = error.getResponse();
    const body =
      typeof r === 'string' ? { statusCode: error.getStatus(), message: r } : (r as Record<string, unknown>);
    return { status: error.getStatus(), body };
  }
  if (error instanceof Error && error.name === 'ConcurrencyConflictError') {
    return {
      status: 409,
      body: { statusCode: 409, error: 'concurrency_conflict', message: `${error.message}; reload and retry` },
    };
  }
  return { status: 500, body: { statusCode: 500, error: 'internal_error', message: 'internal error' } };
}
