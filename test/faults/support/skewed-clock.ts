import { Clock } from '@nqpf/platform';

/** The platform clock of a host whose time is off by a fixed amount (positive: ahead). */
export class SkewedClock extends Clock {
  constructor(readonly skewMs: number) {
    super();
  }

  override now(): Date {
    return new Date(Date.now() + this.skewMs);
  }
}
