import { boolean, date, integer, list, nullable, object, oneOfValues, ref, string } from './json-schema';

/** calls.read-model.ts CallRow with takesSubmissionsToday: a call for applications (A7), public. */
export const Call = object({
  callId: string(),
  year: integer(),
  opensOn: date(),
  closesOn: date(),
  status: oneOfValues(['open', 'closed']),
  closedOn: nullable(date()),
  takesSubmissionsToday: boolean(),
});

/** GET /calls. */
export const CallList = list(ref('Call'));
