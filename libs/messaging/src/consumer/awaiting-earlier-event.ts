/**
 * Thrown by a handler when the event depends on another that has not arrived yet: events of different
 * topics (e.g. a center's recognition on review's topic and its operation start on reporting's) reach a
 * consumer in no fixed order, though the second was caused by the first. The consumer waits and retries
 * without counting attempts, up to `awaitEarlierEventMs`, instead of dead-lettering it after a few.
 */
export class AwaitingEarlierEvent extends Error {
  constructor(what: string) {
    super(`waiting for an earlier event: ${what}`);
    this.name = 'AwaitingEarlierEvent';
  }
}
