/** A7: a call for applications, as far as its window goes. */
export interface CallWindow {
  status: 'open' | 'closed';
  opensOn: string;
  closesOn: string;
}

/**
 * A7: a call takes submissions while it is open (not closed by the bureau) and `today` (Asia/Shanghai)
 * lies in its window, both ends included. Before `opensOn` or after `closesOn` it is still "open" as a
 * record, but takes none.
 */
export function callTakesSubmissionsOn(call: CallWindow, today: string): boolean {
  return call.status === 'open' && call.opensOn <= today && today <= call.closesOn;
}
