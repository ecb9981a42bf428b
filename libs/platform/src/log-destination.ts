import pino from 'pino';

let destination: pino.DestinationStream | undefined;

/**
 * Standard output, written synchronously: a service stopping on SIGTERM exits by the signal once its
 * shutdown hooks ran, and pino's default buffered stream (to a pipe, as in a container) would lose the
 * lines written last — the ones that tell how the shutdown went.
 */
export function logDestination(): pino.DestinationStream {
  destination ??= pino.destination({ dest: 1, sync: true });
  return destination;
}
