import { integer, object, string } from './json-schema';

/** libs/auth security-exception.filter.ts ErrorBody: every error the registry answers. */
export const ErrorBody = object(
  {
    statusCode: integer(400),
    error: string('a code or the HTTP status text'),
    message: string('what was wrong; a bad parameter starts with its name ("limit: …")'),
    field: string('the field refused, where the error names one'),
    rule: string('the rule of the regulation applied, where the error names one'),
  },
  ['field', 'rule'],
);
