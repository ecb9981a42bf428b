import { integer, object, string } from './json-schema';

/** libs/auth security-exception.filter.ts ErrorBody: every error the registry answers. */
export const ErrorBody = object(
  {
    statusCode: integer(400),
    error: string('a code (invalid_input: a bad parameter, named in field) or the HTTP status text'),
    message: string('what was wrong; a bad parameter starts with its name ("limit: …")'),
    field: string(
      'the parameter refused (endOffsets.<topic>.<partition>: a place in it), on every invalid_input the registry raises',
    ),
    rule: string('the rule of the regulation applied, where the error names one'),
  },
  ['field', 'rule'],
);
