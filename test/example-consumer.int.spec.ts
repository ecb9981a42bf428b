import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReviewEventTypes, serviceTopic, uuidv7 } from '@nqpf/contracts';
import { createKafka, createTopics } from '@nqpf/messaging';
import { publishEvent, publishRecognition, repoRoot, testInfra, uniqueName } from '@nqpf/testing';

jest.setTimeout(120_000);

/** docs/contracts' example consumer against real Kafka: a row per recognition, and a stop at what it cannot read. */
describe('examples/recognised-centers-csv.ts', () => {
  const prefix = uniqueName('example');
  const kafka = createKafka('example-consumer-test', testInfra().kafkaBrokers);

  it('writes the recognised center, then stops at an event it cannot read, exit 1, naming where', async () => {
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('assessment', prefix)], 3);
    const centerId = uuidv7();
    await publishRecognition(kafka, prefix, centerId, '南关区');
    // Same center, so the same partition, after the recognition: a recognition missing its fields.
    await publishEvent(kafka, serviceTopic('review', prefix), ReviewEventTypes.CenterRecognized, {
      centerId,
    });
    const csvPath = path.join(mkdtempSync(path.join(tmpdir(), 'nqpf-example-')), 'centers.csv');
    const run = spawn(process.execPath, ['-r', '@swc-node/register', 'examples/recognised-centers-csv.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tsconfig.json',
        KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
        TOPIC_PREFIX: prefix,
        GROUP_ID: `${prefix}.example`,
        CSV_PATH: csvPath,
        IDLE_EXIT_MS: '60000',
      },
    });
    let stderr = '';
    run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/\.review\.events\[\d+\]@\d+: .+ — stopping here/);
    expect(readFileSync(csvPath, 'utf8')).toContain(centerId);
  });
});
