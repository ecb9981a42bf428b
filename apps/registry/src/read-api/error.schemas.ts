import { integer, object, string } from './json-schema';

/** libs/auth security-exception.filter.ts ErrorBody: every error the registry answers. */
export const ErrorBody = object(
  {
    statusCode: integer(400),
    error: string(
      'a code (invalid_input, on every 400: a bad parameter, named in field) or the HTTP status text',
    ),
    message: string('what was wrong; a bad parameter starts with its name ("limit: …")'),
    field: string(
      'the parameter refused (endOffsets.<topic>.<partition>: a place in it; body: the request body; path: a path that does not percent-decode), on every 400 but one: a value the database refused that validation let through (a safety net, which cannot know the parameter)',
    ),
    rule: string('the rule of the regulation applied, where the error names one'),
  },
  ['field', 'rule'],
);
