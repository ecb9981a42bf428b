import { unknownEventText } from '@nqpf/contracts';

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
    /** Said after the type in the message (a subclass's schema version). */
    detail = '',
  ) {
    super(
      `stream ${streamId} holds at version ${version} an event of type ${eventType}${detail}, which this replica does not know (written by a newer release): another replica may serve it`,
    );
    this.name = 'UnknownEventTypeError';
  }

  /** What this replica does not know, as an answer says it. */
  get unknown(): string {
    return unknownEventText('unknown-type', this.eventType, 1);
  }
}

/**
 * A stream holds an event of a type its decider knows, at a schema version it does not (a newer release's
 * breaking change to the type). Refused as an unknown type, and caught as one: read as a version it knows,
 * the payload would fold into a wrong state.
 */
export class UnknownSchemaVersionError extends UnknownEventTypeError {
  constructor(
    streamId: string,
    version: number,
    eventType: string,
    readonly schemaVersion: number,
  ) {
    super(streamId, version, eventType, ` at schema version ${schemaVersion}`);
    this.name = 'UnknownSchemaVersionError';
  }

  override get unknown(): string {
    return unknownEventText('unknown-version', this.eventType, this.schemaVersion);
  }
}
