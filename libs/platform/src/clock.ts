import { Injectable } from '@nestjs/common';

/**
 * The services' only source of "now". Decisions record the moment they were taken for; tests replace
 * the clock (ManualClock) to cross publicity ends, due dates and deadlines deterministically.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

export class ManualClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  override now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    this.current = new Date(to);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
