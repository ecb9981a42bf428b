import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { InvalidInputError, quotedInput } from '@nqpf/domain';

/** Deeper input is refused before any recursive walk (class-transformer, the proto-key strip) can overflow the stack. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Strips properties a DTO does not declare and refuses them (400 "property x should not exist"), validates
 * nested objects, and never echoes the submitted values in errors. A refusal is the domain's 400
 * `invalid_input` with `field`, the first property refused (`objector.name`), so clients read one shape.
 * Before that, any body, query or path value nested deeper than MAX_INPUT_DEPTH, or holding a NUL
 * character (PostgreSQL cannot store one in text), is the same 400 naming where (unsafeInput). The message
 * lists at most MAX_LISTED_PROBLEMS problems and says how many more (a body of 5 000 unknown keys is not
 * answered with 5 000 lines).
 */
export function securityValidationPipe(): ValidationPipe {
  return new SecurityValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
  });
}

class SecurityValidationPipe extends ValidationPipe {
  override createExceptionFactory() {
    return (errors: ValidationError[] = []) =>
      new BadRequestException({
        statusCode: 400,
        error: 'invalid_input',
        message: listedProblems(this.flattenValidationErrors(errors)),
        field: firstRefused(errors),
      });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problem = unsafeInput(value, metadata.data ?? metadata.type);
      if (problem) throw problem;
    }
    return super.transform(value, metadata);
  }
}

/** How many of a refusal's problems its message lists. */
export const MAX_LISTED_PROBLEMS = 10;
/** How much of one problem it quotes: a property name is input too. */
const MAX_PROBLEM_TEXT = 500;
/** How long the list may grow: with its "and N more", within what the error filter sends (MAX_ERROR_TEXT). */
const MAX_LIST_TEXT = 900;

/**
 * The first problems (at most MAX_LISTED_PROBLEMS, each cut short, the first always, the others while the
 * list stays within MAX_LIST_TEXT), and how many more there are.
 */
export function listedProblems(problems: readonly string[], separator = '; '): string {
  const listed: string[] = [];
  let length = 0;
  for (const problem of problems.slice(0, MAX_LISTED_PROBLEMS)) {
    const text = quotedInput(problem, MAX_PROBLEM_TEXT);
    if (listed.length > 0 && length + separator.length + text.length > MAX_LIST_TEXT) break;
    listed.push(text);
    length += (listed.length > 1 ? separator.length : 0) + text.length;
  }
  const more = problems.length - listed.length;
  return more > 0 ? `${listed.join(separator)}${separator}and ${more} more` : listed.join(separator);
}

/** The path of the first property with a failed constraint, depth first (`items.0.category`). */
function firstRefused(errors: ValidationError[], parent = ''): string | undefined {
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints && Object.keys(error.constraints).length > 0) return path;
    const nested = firstRefused(error.children ?? [], path);
    if (nested) return nested;
  }
  return undefined;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Names of a whole input (`@Body()`, `@Query()`, `@Param()`): its properties are named without them. */
const WHOLE_INPUTS = new Set(['body', 'query', 'param']);

/**
 * The first place in the input that is too deep or holds a NUL or a lone surrogate, as the domain's 400
 * `invalid_input` naming it as the validation pipe names properties (`objector.name`, `items.0`; the whole
 * input by its kind: `body`); iterative, so any depth is safe. `root` is the input's name (`id` for
 * `@Param('id')`) or kind.
 */
export function unsafeInput(value: unknown, root: string): InvalidInputError | undefined {
  const stack: { value: unknown; field: string; depth: number }[] = [{ value, field: root, depth: 0 }];
  const whole = WHOLE_INPUTS.has(root);
  while (stack.length > 0) {
    const { value: current, field, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return new InvalidInputError(field, 'contains a NUL character');
      // PostgreSQL's json refuses an unpaired UTF-16 surrogate (\ud800): named here, not a 400 naming nothing.
      if (LONE_SURROGATE.test(current))
        return new InvalidInputError(field, 'contains an unpaired UTF-16 surrogate');
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_INPUT_DEPTH)
      return new InvalidInputError(field, `is nested more than ${MAX_INPUT_DEPTH} levels deep`);
    for (const [key, item] of Object.entries(current)) {
      if (key.includes('\u0000')) return new InvalidInputError(field, 'has a key containing a NUL character');
      if (LONE_SURROGATE.test(key))
        return new InvalidInputError(field, 'has a key containing an unpaired UTF-16 surrogate');
      stack.push({ value: item, field: depth === 0 && whole ? key : `${field}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}
