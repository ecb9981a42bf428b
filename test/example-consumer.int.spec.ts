import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReviewEventTypes, serviceTopic, uuidv7 } from '@nqpf/contracts';
import { createKafka, createTopics } from '@nqpf/messaging';
import { publishEvent, publishRecognition, repoRoot, testInfra, uniqueName } from '@nqpf/testing';
import { toCsv } from '../examples/recognised-centers-rows';

jest.setTimeout(120_000);

/** docs/contracts' example consumer against real Kafka: a row per recognition, and a stop at what it cannot read. */
describe('examples/recognised-centers-csv.ts', () => {
  const prefix = uniqueName('example');
  const kafka = createKafka('example-consumer-test', testInfra().kafkaBrokers);

  const runConsumer = async (csvPath: string, group: string, idleExitMs = '3000', topicPrefix = prefix) => {
    const run = spawn(process.execPath, ['-r', '@swc-node/register', 'examples/recognised-centers-csv.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tsconfig.json',
        KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
        TOPIC_PREFIX: topicPrefix,
        GROUP_ID: group,
        CSV_PATH: csvPath,
        IDLE_EXIT_MS: idleExitMs,
      },
    });
    let stderr = '';
    run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
    return { code, stderr };
  };
  /** Members still in the group: a consumer that left it (rather than dying in it) leaves none. */
  const groupMembers = async (group: string) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([group]);
      return groups[0].members.length;
    } finally {
      await admin.disconnect();
    }
  };

  it('stops at a CSV it cannot write, exit 1, and applies the event on the next run', async () => {
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('assessment', prefix)], 3);
    const centerId = uuidv7();
    await publishRecognition(kafka, prefix, centerId, '朝阳区');
    const dir = mkdtempSync(path.join(tmpdir(), 'nqpf-example-'));
    const csvPath = path.join(dir, 'centers.csv');
    writeFileSync(csvPath, toCsv(new Map()));
    mkdirSync(`${csvPath}.tmp`); // the atomic write's temporary file cannot be created
    const group = `${prefix}.example-unwritable`;
    const blocked = await runConsumer(csvPath, group);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/cannot write .+ — stopping here/);
    expect(await groupMembers(group)).toBe(0); // the next run need not wait out the session timeout
    rmSync(`${csvPath}.tmp`, { recursive: true });
    const again = await runConsumer(csvPath, group);
    expect(again.code).toBe(0);
    expect(readFileSync(csvPath, 'utf8')).toContain(centerId);
  });

  it('writes the recognised center, then stops at an event it cannot read, exit 1, naming where', async () => {
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('assessment', prefix)], 3);
    const centerId = uuidv7();
    await publishRecognition(kafka, prefix, centerId, '南关区');
    // Same center, so the same partition, after the recognition: a recognition missing its fields.
    await publishEvent(kafka, serviceTopic('review', prefix), ReviewEventTypes.CenterRecognized, {
      centerId,
    });
    const csvPath = path.join(mkdtempSync(path.join(tmpdir(), 'nqpf-example-')), 'centers.csv');
    const group = `${prefix}.example`;
    const { code, stderr } = await runConsumer(csvPath, group, '60000');
    expect(code).toBe(1);
    expect(stderr).toMatch(/\.review\.events\[\d+\]@\d+: .+ — stopping here/);
    expect(await groupMembers(group)).toBe(0);
    expect(readFileSync(csvPath, 'utf8')).toContain(centerId);
  });

  it("rebuilds the whole file from every event when the CSV is gone, not only from the group's last offset", async () => {
    // Topics of its own: the test above leaves an event no consumer can read on the shared ones.
    const own = uniqueName('example_rebuild');
    await createTopics(kafka, [serviceTopic('review', own), serviceTopic('assessment', own)], 3);
    const first = uuidv7();
    await publishRecognition(kafka, own, first, '南关区');
    const csvPath = path.join(mkdtempSync(path.join(tmpdir(), 'nqpf-example-')), 'centers.csv');
    const group = `${own}.example`;
    expect((await runConsumer(csvPath, group, '3000', own)).code).toBe(0);
    expect(readFileSync(csvPath, 'utf8')).toContain(first);
    rmSync(csvPath);
    const second = uuidv7();
    await publishRecognition(kafka, own, second, '宽城区');
    expect((await runConsumer(csvPath, group, '3000', own)).code).toBe(0);
    const rebuilt = readFileSync(csvPath, 'utf8');
    expect(rebuilt).toContain(first);
    expect(rebuilt).toContain(second);
  });
});
