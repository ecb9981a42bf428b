import { DEFAULT_DISTRICT_UNITS } from '@nqpf/domain';
import { ConfigError } from '@nqpf/platform';
import { loadRegistryConfig } from './config';

const env = (more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  DATABASE_URL: 'postgres://localhost/registry',
  KAFKA_BROKERS: 'localhost:9092',
  ...more,
});

describe('registry configuration: the district-level units its district filter knows (as intake)', () => {
  it('defaults to the units RULES names and takes NQPF_DISTRICT_UNITS, comma-separated', () => {
    expect(loadRegistryConfig(env()).NQPF_DISTRICT_UNITS).toEqual([...DEFAULT_DISTRICT_UNITS]);
    expect(
      loadRegistryConfig(env({ NQPF_DISTRICT_UNITS: '南关区, 长春国际汽车城' })).NQPF_DISTRICT_UNITS,
    ).toEqual(['南关区', '长春国际汽车城']);
  });

  it('refuses to start with a unit named twice, naming the variable', () => {
    const load = () => loadRegistryConfig(env({ NQPF_DISTRICT_UNITS: '南关区,朝阳区,南关区' }));
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/NQPF_DISTRICT_UNITS names 南关区 more than once/);
  });
});
