import type { PoolClient } from 'pg';
import { foldEvents } from '@nqpf/domain';
import { defaultPolicy, defaultPolicyRegistry } from '@nqpf/rules';
import { validateAgainstSchema } from '@nqpf/messaging';
import { ReportingConsumer } from '../apps/reporting/src/obligations/reporting.consumer';
import { obligationsDecider } from '../apps/reporting/src/domain/obligations/obligations.decider';
import type { ObligationsCommand } from '../apps/reporting/src/domain/obligations/obligations.types';
import { passingFacts } from '../apps/review/src/domain/candidacy/candidacy.fixtures';
import { EventPayloadSchemas, type CenterRecognizedV1 } from '@nqpf/contracts';
import { reviewExamples } from '../libs/contracts/src/schemas/testing/decided-examples';
import { exampleEnvelope } from '../libs/contracts/src/schemas/testing/example-envelope';

/** review.center-recognized as review's decider emits it at the end of its candidacy example. */
function recognition() {
  const event = reviewExamples()
    .flatMap((e) => e.events)
    .find((e) => e.type === 'review.center-recognized')!;
  return exampleEnvelope(event, 'app-1', 11);
}

/** The command reporting's own consumer makes of the event (its executor replaced by a recorder). */
async function asReportingOpensIt(): Promise<Extract<ObligationsCommand, { kind: 'open' }>> {
  let opened: ObligationsCommand | undefined;
  const consumer = new ReportingConsumer(
    { KAFKA_TOPIC_PREFIX: 'nqpf' } as never,
    {} as never,
    { run: async (_centerId: string, command: ObligationsCommand) => void (opened = command) } as never,
    { now: () => new Date('2026-02-10T10:00:00+08:00') } as never,
    { ofRecognition: async () => defaultPolicy, inForceUpTo: async () => defaultPolicyRegistry() } as never,
  );
  await consumer.handle(recognition(), {} as PoolClient);
  return opened as Extract<ObligationsCommand, { kind: 'open' }>;
}

describe('review.center-recognized carries the recognised art. 6 facts (A16 baseline)', () => {
  it("carries the accepted application's facts, valid against the v1 contract", () => {
    const event = recognition();
    expect((event.payload as CenterRecognizedV1).facts).toEqual(passingFacts());
    expect(validateAgainstSchema(event.payload, EventPayloadSchemas[event.type]!, 'payload')).toEqual([]);
  });

  it('gives reporting the baseline: a reported area alone is re-checked with every other recognised fact', async () => {
    const open = await asReportingOpensIt();
    expect(open.facts).toEqual(passingFacts());
    const state = foldEvents(
      obligationsDecider,
      obligationsDecider.decide(open, foldEvents(obligationsDecider, [])),
    );
    const areaChanged = (buildingAreaM2: string): ObligationsCommand => ({
      kind: 'report-major-change',
      changeId: `mc-${buildingAreaM2}`,
      changes: ['area_changed'],
      description: '场地面积变更',
      effectiveOn: '2026-04-01',
      newFacts: { premises: { buildingAreaM2 } },
      today: '2026-04-02',
      policy: defaultPolicy,
    });
    const [, shrunk] = obligationsDecider.decide(areaChanged('4800.00'), state);
    expect(shrunk!.payload).toMatchObject({ stillEligible: false, failed: ['A6.1:buildingArea'] });
    const [, grown] = obligationsDecider.decide(areaChanged('6000.00'), state);
    expect(grown!.payload).toMatchObject({ stillEligible: true, failed: [] });
  });
});
