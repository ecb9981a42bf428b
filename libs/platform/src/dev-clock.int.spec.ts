import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { Roles } from '@nqpf/auth';
import { startService, testEnvironment, uniqueName, type ServiceUnderTest } from '@nqpf/testing';
import { Clock } from './clock';
import { baseConfigSpec, ConfigError, loadConfig } from './config';
import { PlatformModule } from './platform.module';

jest.setTimeout(60000);

/** A service route that reads the clock the way commands do. */
@Controller('today')
class Today {
  constructor(private readonly clock: Clock) {}
  @Roles('city_bureau') @Get() today() {
    return { now: this.clock.now().toISOString() };
  }
}

@Module({})
class Root {}

const start = (devClock: string) => {
  const environment = testEnvironment(uniqueName('devclock'));
  environment.env = { ...environment.env, NQPF_DEV_CLOCK: devClock };
  return startService('devclock', environment, (env) => ({
    module: Root,
    imports: [PlatformModule.forRoot({ service: 'devclock', config: loadConfig(baseConfigSpec, env), env })],
    controllers: [Today],
  }));
};

describe('the development clock (NQPF_DEV_CLOCK=1)', () => {
  let service: ServiceUnderTest;
  let bureau: string;
  const http = () => request(service.app.getHttpServer());

  beforeAll(async () => {
    service = await start('1');
    bureau = await service.token({ role: 'city_bureau' });
  });
  afterAll(async () => service?.close());

  it("moves the service's clock to a past instant, from where it runs on, and back to the wall clock", async () => {
    await http()
      .put('/dev/clock')
      .set('Authorization', `Bearer ${bureau}`)
      .send({ now: '2026-11-05T09:00:00+08:00' })
      .expect(200);
    const shifted = await http().get('/today').set('Authorization', `Bearer ${bureau}`).expect(200);
    const at = Date.parse(shifted.body.now);
    expect(at).toBeGreaterThanOrEqual(Date.parse('2026-11-05T09:00:00+08:00'));
    expect(at).toBeLessThan(Date.parse('2026-11-05T09:01:00+08:00'));
    await http().put('/dev/clock').set('Authorization', `Bearer ${bureau}`).send({ now: null }).expect(200);
    const wall = await http().get('/today').set('Authorization', `Bearer ${bureau}`).expect(200);
    expect(Math.abs(Date.parse(wall.body.now) - Date.now())).toBeLessThan(5000);
  });

  it('is for the bureau only, and refuses anything but an instant with its zone, or null', async () => {
    const office = await service.token({ role: 'district_office', district: '南关区' });
    await http().put('/dev/clock').set('Authorization', `Bearer ${office}`).send({ now: null }).expect(403);
    for (const now of ['2026-11-05', '2026-11-05T09:00:00', 'yesterday', 5, undefined]) {
      const res = await http().put('/dev/clock').set('Authorization', `Bearer ${bureau}`).send({ now });
      expect({ now, status: res.status, ...res.body }).toMatchObject({
        status: 400,
        error: 'invalid_input',
        message: expect.stringMatching(/^now: /),
        field: 'now',
      });
    }
  });
});

describe('without NQPF_DEV_CLOCK', () => {
  it('has no /dev/clock', async () => {
    const service = await start('0');
    try {
      const bureau = await service.token({ role: 'city_bureau' });
      const http = () => request(service.app.getHttpServer());
      await http().put('/dev/clock').set('Authorization', `Bearer ${bureau}`).send({ now: null }).expect(404);
    } finally {
      await service.close();
    }
  });

  it.each(['production', 'staging'])('refuses it with NODE_ENV=%s, at start', (nodeEnv) => {
    const env = { PORT: '1', DATABASE_URL: 'postgres://x@127.0.0.1/x', KAFKA_BROKERS: '127.0.0.1:1' };
    const config = loadConfig(baseConfigSpec, { ...env, NODE_ENV: nodeEnv, NQPF_DEV_CLOCK: '1' });
    expect(() => PlatformModule.forRoot({ service: 'x', config, env: {} })).toThrow(ConfigError);
    expect(() => PlatformModule.forRoot({ service: 'x', config, env: {} })).toThrow(
      `NQPF_DEV_CLOCK is for development stacks; it cannot be set with NODE_ENV=${nodeEnv}`,
    );
  });
});
