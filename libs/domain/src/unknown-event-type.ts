/**
 * A stream holds an event type its decider does not know: written by a newer release (a rolling update, or
 * a rollback after one). The replica refuses the object rather than fold it into an undefined state; a newer
 * replica can serve it, so the API answers 503 with Retry-After, and a consumer or a timer waits and retries.
 * Not a DomainError: nothing about the object is wrong, and a timer must not mark its deadline done.
 */
export class UnknownEventTypeError extends Error {
  constructor(
    readonly streamId: string,
    /** The stream version at which the event stands. */
    readonly version: number,
    readonly eventType: string,
  ) {
    super(
      `stream ${streamId} holds at version ${version} an event of type ${eventType}, which this replica does not know (written by a newer release): another replica may serve it`,
    );
    this.name = 'UnknownEventTypeError';
  }
}
