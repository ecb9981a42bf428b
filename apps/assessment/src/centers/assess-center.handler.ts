import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { Clock, PG_POOL, PublishedPolicies, UnitOfWork } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import { requireAssessable } from '../domain/center/decide-assess';
import { AssessCenterCommand, AssessmentResult } from './assessment.command';
import { activityCountOf, reportComplianceOf } from './assessment.store';
import { CenterExecutor } from './center.executor';
import { ReportingCopy } from './reporting-copy';

/**
 * A17.1: the bureau's assessment, with the year's activity count (and its A6.5 check) and report compliance
 * as shown inputs, read from a current copy of reporting's events (ReportingCopy); graded under today's
 * policy, its support year by the schedule fixed at recognition.
 */
@CommandHandler(AssessCenterCommand)
export class AssessCenterHandler implements ICommandHandler<AssessCenterCommand, AssessmentResult> {
  constructor(
    private readonly executor: CenterExecutor,
    private readonly clock: Clock,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly policies: PublishedPolicies,
    private readonly uow: UnitOfWork,
    private readonly reportingCopy: ReportingCopy,
  ) {}

  async execute(c: AssessCenterCommand): Promise<AssessmentResult> {
    // The bureau's route; held to the same check as every object (outside the scope: the unknown id's 404).
    const loaded = await this.executor.loadInScope(c.centerId, c.actor, 'write');
    const { state } = loaded;
    const now = this.clock.now();
    const today = shanghaiToday(now);
    // A year graded already (or not assessable) is answered at once, not after waiting for its inputs.
    requireAssessable(state, c.year, today);
    // In the request's transaction when it has one: a second connection per request could exhaust the
    // pool under a batch of assessments, every request holding one and waiting for another.
    const db = this.uow.current() ?? this.pool;
    // Recorded for good with the grade: read once the copy holds what reporting had published by now.
    await this.reportingCopy.currentFor(c.centerId);
    const handled = await this.executor.run(
      c.centerId,
      {
        kind: 'assess',
        year: c.year,
        method: c.method,
        activityCount: await activityCountOf(db, c.centerId, c.year),
        reportCompliance: await reportComplianceOf(db, state, c.year, today),
        today,
        policy: await this.policies.inForceOn(today),
        recognitionPolicy: await this.policies.version(state.policyVersion),
      },
      { actor: c.actor, correlationId: c.correlationId, occurredAt: now.toISOString() },
      { loaded },
    );
    return {
      centerId: c.centerId,
      status: handled.state.status,
      version: handled.version,
      recorded: handled.events.map((e) => ({ type: e.type, payload: e.payload })),
    };
  }
}
