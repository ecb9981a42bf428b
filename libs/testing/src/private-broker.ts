import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { localPort, type LocalPortName } from '@nqpf/platform';
import { repoRoot } from './infrastructure';

/** Every port the shared infrastructure listens on (as libs/platform's localPort reads them). */
function sharedPorts(): Map<string, string> {
  const names: LocalPortName[] = [
    'NQPF_PG_PORT',
    'NQPF_KAFKA_PORT',
    'NQPF_KAFKA_CONTROLLER_PORT',
    'NQPF_KAFKA_SECURE_PORT',
  ];
  return new Map(names.map((name) => [localPort(name), name]));
}

/**
 * A Kafka broker of a test's own (deploy/local/kafka.sh with its own ports and data directory), for tests
 * that stop and start it: the shared broker serves everybody else and is never restarted. Tests that may
 * run at once pass different ports.
 */
export class PrivateBroker {
  private readonly local: string;

  constructor(
    private readonly port: number,
    private readonly controllerPort: number,
  ) {
    // Else kafka.sh reports "port taken" at the first restart, which reads as a flaky broker.
    const shared = sharedPorts();
    for (const own of [port, controllerPort]) {
      const clash = shared.get(String(own));
      if (clash) throw new Error(`a private broker's port ${own} is the shared ${clash}; choose other ports`);
    }
    this.local = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-private-kafka-'));
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Asynchronous, so the clients keep running (and failing) while the broker is down. */
  private async run(command: 'start' | 'stop'): Promise<void> {
    await promisify(execFile)('bash', [path.join(repoRoot, 'deploy/local/kafka.sh'), command], {
      env: {
        ...process.env,
        NQPF_LOCAL: this.local,
        NQPF_KAFKA_PORT: String(this.port),
        NQPF_KAFKA_CONTROLLER_PORT: String(this.controllerPort),
        // No TLS listener: the shared broker's holds its port, and these tests are about restarts.
        NQPF_KAFKA_SECURE_PORT: '0',
      },
      timeout: 180000,
    });
  }

  start(): Promise<void> {
    return this.run('start');
  }

  stop(): Promise<void> {
    return this.run('stop');
  }

  /** Stops the broker and removes its data directory. */
  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.local, { recursive: true, force: true });
  }
}
