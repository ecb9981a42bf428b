import { RuleInputError } from './errors';

/** The field a RuleInputError names, or a marker that makes the expectation fail when nothing was thrown. */
export function inputErrorField(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof RuleInputError) return e.field;
    throw e;
  }
  return '(no error thrown)';
}
