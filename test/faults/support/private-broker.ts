import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@nqpf/testing';

/**
 * A Kafka broker of the scenario's own (deploy/local/kafka.sh with its own ports and data directory): the
 * shared broker on 19092 serves everybody else and is never restarted. Ports differ from the messaging
 * broker-restart spec's 29092, so both may run at once.
 */
export class PrivateBroker {
  private readonly local = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-faults-kafka-'));

  constructor(
    private readonly port = 29192,
    private readonly controllerPort = 29193,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Asynchronous, so the services keep running (and failing) while the broker is down. */
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
      timeout: 120000,
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
