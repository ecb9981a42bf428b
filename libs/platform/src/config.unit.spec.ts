import { baseConfigSpec, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  const valid = {
    PORT: '3001',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:55432/intake',
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
});
