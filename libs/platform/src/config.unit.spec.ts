import { DEFAULT_DISTRICT_UNITS } from '@nqpf/domain';
import { baseConfigSpec, ConfigError, districtUnitsConfigSpec, loadConfig } from './config';

describe('loadConfig', () => {
  const valid = {
    PORT: '3001',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:15432/intake',
    KAFKA_BROKERS: '127.0.0.1:19092, 127.0.0.1:19094',
  };

  it('parses and applies defaults', () => {
    const c = loadConfig(baseConfigSpec, valid);
    expect(c.PORT).toBe(3001);
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:19092', '127.0.0.1:19094']);
    expect(c.SHUTDOWN_GRACE_MS).toBe(10000);
    expect(c.DATABASE_POOL_MAX).toBe(20);
  });

  it('names every missing or malformed variable', () => {
    let error: unknown;
    try {
      loadConfig(baseConfigSpec, { PORT: '70000', DATABASE_URL: 'mysql://x', DATABASE_POOL_MAX: '2' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT must be between 1 and 65535, got 70000',
      "DATABASE_URL must use postgres or postgresql, got 'mysql:'",
      'DATABASE_POOL_MAX must be between 5 and 500, got 2',
      'KAFKA_BROKERS is required',
    ]);
  });

  it('refuses values a service would only fail on later: no brokers, an unknown log level, no grace, a retention PostgreSQL cannot count', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(baseConfigSpec, { ...valid, ...env });
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ KAFKA_BROKERS: ' , ' })).toEqual(['KAFKA_BROKERS must name at least one value']);
    expect(problems({ LOG_LEVEL: 'verbose' })).toEqual([
      "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'verbose'",
    ]);
    expect(problems({ SHUTDOWN_GRACE_MS: '0' })).toEqual([
      'SHUTDOWN_GRACE_MS must be between 1000 and 300000, got 0',
    ]);
    expect(problems({ IDEMPOTENCY_RETENTION_HOURS: '3000000000' })).toEqual([
      'IDEMPOTENCY_RETENTION_HOURS must be between 1 and 87600, got 3000000000',
    ]);
  });

  it('reads NQPF_DISTRICT_UNITS with the parser libs/auth uses too, its problems among the others', () => {
    const spec = { ...baseConfigSpec, ...districtUnitsConfigSpec };
    expect(loadConfig(spec, valid).NQPF_DISTRICT_UNITS).toEqual([...DEFAULT_DISTRICT_UNITS]);
    expect(loadConfig(spec, { ...valid, NQPF_DISTRICT_UNITS: '南关区, 朝阳区' }).NQPF_DISTRICT_UNITS).toEqual(
      ['南关区', '朝阳区'],
    );
    expect(() => loadConfig(spec, { ...valid, PORT: '0', NQPF_DISTRICT_UNITS: '南关区,南关区' })).toThrow(
      new ConfigError([
        'PORT must be between 1 and 65535, got 0',
        'NQPF_DISTRICT_UNITS names 南关区 more than once',
      ]),
    );
  });
});
