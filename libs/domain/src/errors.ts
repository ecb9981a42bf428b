/**
 * Errors the domain raises, each with the HTTP status the API layer gives it (one mapping, in
 * libs/platform's exception filter). They carry the field or rule they are about, so a 4xx names it.
 */
export abstract class DomainError extends Error {
  abstract readonly status: 400 | 403 | 404 | 409 | 422;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed input: a field is missing, of the wrong type or out of range. */
export class InvalidInputError extends DomainError {
  readonly status = 400;
  readonly code = 'invalid_input';
  constructor(
    readonly field: string,
    /** What is wrong with it, without the field (`message` is `<field>: <problem>`). */
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`, { field });
  }
}

/** Well-formed input that a rule of the regulation refuses (e.g. outside the call's window). */
export class RuleViolationError extends DomainError {
  readonly status = 422;
  readonly code = 'rule_violation';
  constructor(
    readonly rule: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(`${rule}: ${message}`, { rule, ...details });
  }
}

/** The action is not allowed in the aggregate's current state. */
export class IllegalTransitionError extends DomainError {
  readonly status = 409;
  readonly code = 'illegal_transition';
  constructor(
    readonly currentState: string,
    readonly attemptedAction: string,
  ) {
    super(`cannot ${attemptedAction} when ${currentState}`, { currentState, attemptedAction });
  }
}

/** What a request names does not exist: read, or acted on (the id may stand in the request's path only). */
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(what: string, id?: string) {
    super(id === undefined ? `${what} not found` : `${what} ${id} not found`, { what, id });
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
}
