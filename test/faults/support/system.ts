import { mintDevToken, type DevTokenRequest } from '@nqpf/auth';
import { createTestDatabase, testInfra, type TestDatabase, uniqueName } from '@nqpf/testing';
import { startServiceProcess, type ServiceProcess } from '../../../bench/e2e/service-process';

/**
 * Intake and registry as child processes (like deploy/local/services.sh and bench/e2e), each on its own
 * database, with the test's topic prefix, identity seed and Kafka brokers. Any number of registry
 * processes share one database and one set of consumer groups, as replicas do.
 */
export class FaultSystem {
  intake!: ServiceProcess;
  readonly registries: ServiceProcess[] = [];
  private readonly others: { process: ServiceProcess; db: TestDatabase }[] = [];

  private constructor(
    readonly prefix: string,
    readonly brokers: string[],
    readonly intakeDb: TestDatabase,
    readonly registryDb: TestDatabase,
  ) {}

  /** `intakeDb`, `registryDb`: a database that must live elsewhere (a private server the scenario restarts). */
  static async start(
    name: string,
    brokers = testInfra().kafkaBrokers,
    options: { intakeDb?: TestDatabase; registryDb?: TestDatabase } = {},
  ): Promise<FaultSystem> {
    const system = new FaultSystem(
      uniqueName(name),
      brokers,
      options.intakeDb ?? (await createTestDatabase(`${name}_intake`)),
      options.registryDb ?? (await createTestDatabase(`${name}_registry`)),
    );
    await Promise.all([system.startIntake(), system.startRegistry()]);
    return system;
  }

  private env(db: TestDatabase): Record<string, string> {
    return {
      NODE_ENV: 'development',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: this.brokers.join(','),
      KAFKA_TOPIC_PREFIX: this.prefix,
      AUTH_DEV_IDENTITY: '1',
      AUTH_DEV_IDENTITY_SEED: `seed-${this.prefix}`,
    };
  }

  token(request: DevTokenRequest): Promise<string> {
    return mintDevToken(request, { seed: `seed-${this.prefix}` });
  }

  async startIntake(): Promise<void> {
    this.intake = await startServiceProcess('intake', this.env(this.intakeDb));
  }

  /** SIGKILL: no shutdown hook runs, the relay's lease session and any open transaction just die. */
  async killIntake(): Promise<void> {
    process.kill(this.intake.pid, 'SIGKILL');
    await this.intake.close(); // returns once the exit is observed
  }

  async startRegistry(): Promise<ServiceProcess> {
    const registry = await startServiceProcess('registry', this.env(this.registryDb));
    this.registries.push(registry);
    return registry;
  }

  /** Stops one registry process (SIGTERM): its consumers leave their groups, which rebalance. */
  async stopRegistry(registry: ServiceProcess): Promise<void> {
    this.registries.splice(this.registries.indexOf(registry), 1);
    await registry.close();
  }

  /** Another service beside intake and registry, on a database of its own. */
  async startOther(
    service: string,
    db?: TestDatabase,
  ): Promise<{ process: ServiceProcess; db: TestDatabase }> {
    const own = db ?? (await createTestDatabase(`${this.prefix}_${service}`));
    const started = { process: await startServiceProcess(service, this.env(own)), db: own };
    this.others.push(started);
    return started;
  }

  async close(): Promise<void> {
    const others = this.others.map((o) => o.process);
    await Promise.all([
      this.intake?.close(),
      ...this.registries.map((r) => r.close()),
      ...others.map((o) => o.close()),
    ]);
    const dbs = new Set([this.intakeDb, this.registryDb, ...this.others.map((o) => o.db)]);
    await Promise.all([...dbs].map((db) => db.drop()));
  }
}
