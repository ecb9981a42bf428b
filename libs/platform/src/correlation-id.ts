import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { uuidv7 } from '@nqpf/contracts';

/** A UUID or a tracing system's id: 1–64 letters, digits and . _ : - */
const PLAUSIBLE = /^[A-Za-z0-9._:-]{1,64}$/;

/** The X-Correlation-Id a caller sent, when it is a plausible id; else a new one. */
export function correlationIdOf(header: unknown): string {
  return typeof header === 'string' && PLAUSIBLE.test(header) ? header : uuidv7();
}

/**
 * The request's correlation id (correlationIdOf its X-Correlation-Id header). It is recorded for good in
 * every event the request causes, hash-chained and in Kafka headers, so anything else a caller sends (8 000
 * characters from an anonymous objection) is replaced, not stored.
 */
export const CorrelationId = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  correlationIdOf(
    context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['x-correlation-id'],
  ),
);
