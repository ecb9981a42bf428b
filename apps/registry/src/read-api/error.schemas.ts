import { integer, object, string } from './json-schema';

/** libs/auth security-exception.filter.ts ErrorBody: every error the registry answers. */
export const ErrorBody = object(
  {
    statusCode: integer(400),
    error: string(
      'a code (invalid_input, on every 400: a bad parameter, named in field; not_found, on every 404 of a route: what and id name what was not found) or the HTTP status text',
    ),
    message: string(
      'what was wrong; a bad parameter starts with its name ("limit: …"); a 404 says "<what> <id> not found"',
    ),
    field: string(
      'the parameter refused (endOffsets.<topic>.<partition>: a place in it; body: the request body; path: a path that does not percent-decode), on every 400 but one: a value the database refused that validation let through (a safety net, which cannot know the parameter)',
    ),
    rule: string('the rule of the regulation applied, where the error names one'),
    what: string('on a 404 (not_found): what was not found (standing, ledger, audit trail)'),
    id: string('on a 404 (not_found): the id asked for (the center id of the path)'),
  },
  ['field', 'rule', 'what', 'id'],
);
