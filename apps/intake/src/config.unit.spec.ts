import { ConfigError } from '@nqpf/platform';
import { loadIntakeConfig } from './config';
import { DEFAULT_DISTRICT_UNITS } from '@nqpf/domain';

const env = (more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  DATABASE_URL: 'postgres://localhost/intake',
  KAFKA_BROKERS: 'localhost:9092',
  ...more,
});

describe('intake configuration: district-level units (RULES "Actors", reference data)', () => {
  it('defaults to the units RULES names, the real Changchun districts the seed and tests use', () => {
    const units = loadIntakeConfig(env()).NQPF_DISTRICT_UNITS;
    expect(units).toEqual([...DEFAULT_DISTRICT_UNITS]);
    expect(units).toEqual(
      expect.arrayContaining(['南关区', '宽城区', '朝阳区', '二道区', '绿园区', '高新区']),
    );
    expect(units).not.toContain('Atlantis区');
  });

  it('takes the units from NQPF_DISTRICT_UNITS, comma-separated', () => {
    const config = loadIntakeConfig(env({ NQPF_DISTRICT_UNITS: '南关区, 长春国际汽车城' }));
    expect(config.NQPF_DISTRICT_UNITS).toEqual(['南关区', '长春国际汽车城']);
  });

  it('refuses to start with a unit named twice, naming the variable', () => {
    expect(() => loadIntakeConfig(env({ NQPF_DISTRICT_UNITS: '南关区,朝阳区,南关区' }))).toThrow(ConfigError);
    expect(() => loadIntakeConfig(env({ NQPF_DISTRICT_UNITS: '南关区,朝阳区,南关区' }))).toThrow(
      /NQPF_DISTRICT_UNITS names 南关区 more than once/,
    );
  });
});
