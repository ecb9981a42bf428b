import { staleTestTopics } from './stale-test-topics';

it('finds the topics of test runs older than the limit by the stamp uniqueName put in their names', () => {
  const now = Date.parse('2026-11-27T00:00:00Z');
  const stamp = (ms: number) => ms.toString(36);
  const old = `revocation_${stamp(now - 2 * 86_400_000)}_0a1b2c3d`;
  const recent = `audit_${stamp(now - 3_600_000)}_deadbeef`;
  const topics = [`${old}.review`, `${old}.review.dlq`, `${recent}.intake`, 'nqpf.review', 'nqpf.finance'];
  expect(staleTestTopics(topics, now, 86_400_000)).toEqual([`${old}.review`, `${old}.review.dlq`]);
});
