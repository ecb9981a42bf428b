import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, Clock } from '@nqpf/platform';
import { shanghaiToday, validatePolicy } from '@nqpf/rules';
import { POLICY_BOOK_STREAM, policyBookDecider } from '../domain/policy-book/policy-book.decider';
import { PolicyPublishedView, PublishPolicyCommand } from './publish-policy.command';

/** The bureau publishes a policy version; it is published today and takes effect on its effectiveFrom. */
@CommandHandler(PublishPolicyCommand)
export class PublishPolicyHandler implements ICommandHandler<PublishPolicyCommand, PolicyPublishedView> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly clock: Clock,
  ) {}

  async execute(c: PublishPolicyCommand): Promise<PolicyPublishedView> {
    const now = this.clock.now();
    const handled = await this.repository.execute(
      policyBookDecider,
      POLICY_BOOK_STREAM,
      { kind: 'publish', policy: c.policy, publishedOn: shanghaiToday(now), reason: c.reason },
      { actor: c.actor, correlationId: c.correlationId, occurredAt: now.toISOString() },
    );
    // As the decider read it (trimmed): the version given may carry spaces around it.
    const { version } = validatePolicy(c.policy);
    const policy = handled.state.policies.find((p) => p.version === version)!;
    return {
      version: policy.version,
      effectiveFrom: policy.effectiveFrom,
      published: handled.events.length > 0,
      streamVersion: handled.version,
    };
  }
}
