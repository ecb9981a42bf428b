import { EventStoreInputError } from '../errors';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,47}$/;

/** Schema names go into SQL text, so only plain lower-case identifiers are accepted. */
export function validateSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new EventStoreInputError('schema', 'must match [a-z_][a-z0-9_]* and be at most 48 characters');
  }
  return schema;
}

/** The channel the store notifies on commit of events that have outbox rows. */
export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}
