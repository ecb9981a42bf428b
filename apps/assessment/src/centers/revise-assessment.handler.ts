import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, PublishedPolicies } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import { requireRevisable } from '../domain/center/decide-revise';
import { AssessmentResult, ReviseAssessmentCommand } from './assessment.command';
import { CenterExecutor } from './center.executor';

/**
 * A17.1, a correction: the bureau replaces the grade recorded for a year, with a written reason. Corrected
 * scores are graded by the bands in force on the day the year was assessed; A17.3b is checked on the
 * corrected history under today's policy. The year's activity count and report compliance stay as the
 * assessment recorded them (a correction of the grade, not a new assessment).
 */
@CommandHandler(ReviseAssessmentCommand)
export class ReviseAssessmentHandler implements ICommandHandler<ReviseAssessmentCommand, AssessmentResult> {
  constructor(
    private readonly executor: CenterExecutor,
    private readonly clock: Clock,
    private readonly policies: PublishedPolicies,
  ) {}

  async execute(c: ReviseAssessmentCommand): Promise<AssessmentResult> {
    // The bureau's route; held to the same check as every object (outside the scope: the unknown id's 404).
    const loaded = await this.executor.loadInScope(c.centerId, c.actor, 'write');
    const { state } = loaded;
    const now = this.clock.now();
    const today = shanghaiToday(now);
    // Never assessed, or revoked: answered before the policies are looked up.
    const { assessedOn } = requireRevisable(state, c.year, today);
    const handled = await this.executor.run(
      c.centerId,
      {
        kind: 'revise-assessment',
        year: c.year,
        method: c.method,
        reason: c.reason,
        today,
        gradePolicy: await this.policies.inForceOn(assessedOn),
        policy: await this.policies.inForceOn(today),
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
