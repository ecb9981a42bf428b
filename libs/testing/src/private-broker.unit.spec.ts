import { localPort } from '@nqpf/platform';
import { PrivateBroker } from './private-broker';

it('a private broker on a port of the shared infrastructure is refused, naming the setting', () => {
  const shared = Number(localPort('NQPF_KAFKA_PORT'));
  expect(() => new PrivateBroker(shared, shared + 1)).toThrow(`port ${shared} is the shared NQPF_KAFKA_PORT`);
  expect(() => new PrivateBroker(shared + 7, Number(localPort('NQPF_PG_PORT')))).toThrow('NQPF_PG_PORT');
});
