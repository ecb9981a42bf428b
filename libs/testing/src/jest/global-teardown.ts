import { runInfraScript } from '../infrastructure';

export default async function globalTeardown(): Promise<void> {
  const containers = (globalThis as Record<string, unknown>).__nqpfContainers as
    { stop(): Promise<unknown> }[] | undefined;
  if (containers) await Promise.all(containers.map((c) => c.stop()));
  if (process.env.NQPF_TEST_STOP_LOCAL === '1' && process.env.NQPF_KEEP_INFRA !== '1') runInfraScript('stop');
}
