import { Controller, Get, Header, Injectable, NestMiddleware } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Public, SkipRateLimit } from '@nqpf/auth';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per service; libraries (outbox relay, consumers) add their own metrics to it. */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly httpErrors: Counter<'method' | 'route' | 'status'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.httpErrors = new Counter({
      name: 'http_request_errors_total',
      help: 'HTTP responses with status >= 400',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
  }
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsRegistry) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // The route pattern, not the URL, keeps label cardinality bounded.
      const labels = {
        method: req.method,
        route: (req.route?.path as string | undefined) ?? 'unmatched',
        status: String(res.statusCode),
      };
      end(labels);
      if (res.statusCode >= 400) this.metrics.httpErrors.inc(labels);
    });
    next();
  }
}

/** The Prometheus scrape: public and never rate-limited (scrapers share addresses, like the kubelet). */
@ApiExcludeController()
@Public()
@SkipRateLimit()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
