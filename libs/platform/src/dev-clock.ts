import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '@nqpf/auth';
import { InvalidInputError } from '@nqpf/domain';
import { isIsoInstant } from '@nqpf/rules';
import { Clock } from './clock';

/**
 * Development only (NQPF_DEV_CLOCK=1; refused outside a development NODE_ENV): the wall clock moved by an offset
 * that a demo script sets through PUT /dev/clock, so a local stack can act out days that have passed — a
 * publicity published three weeks ago — through the same commands and rules as ever.
 */
export class ShiftedClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** From now on `now()` reads `at` and runs on from there; null: the wall clock again. */
  set(at: Date | null): void {
    this.offsetMs = at ? at.getTime() - Date.now() : 0;
  }
}

@ApiExcludeController()
@Controller('dev/clock')
@Roles('city_bureau')
export class DevClockController {
  constructor(@Inject(Clock) private readonly clock: ShiftedClock) {}

  @Get()
  show(): { now: string } {
    return { now: this.clock.now().toISOString() };
  }

  /** `{ now: '2026-11-05T09:00:00+08:00' }` moves this service's clock there; `{ now: null }` resets it. */
  @Put()
  set(@Body() body: { now?: unknown }): { now: string } {
    const at = body?.now;
    if (at !== null && !isIsoInstant(at))
      throw new InvalidInputError(
        'now',
        'an ISO 8601 instant with a zone (2026-11-05T09:00:00+08:00), or null',
      );
    this.clock.set(at === null ? null : new Date(at));
    return this.show();
  }
}
