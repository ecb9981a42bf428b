import { Body, Controller, Get, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '@nqpf/auth';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { AggregateRepository, CorrelationId } from '@nqpf/platform';
import { POLICY_BOOK_STREAM, policyBookDecider } from '../domain/policy-book/policy-book.decider';
import { PolicyPublishedView, PublishPolicyCommand } from './publish-policy.command';
import { PublishPolicyDto } from './publish-policy.dto';

@ApiTags('policies (A12, A13)')
@ApiBearerAuth()
@Controller('policies')
export class PoliciesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: AggregateRepository,
  ) {}

  /** The bureau publishes a subsidy policy version, effective from a date not before today. */
  @Post()
  @Roles('city_bureau')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry returns the first result' })
  @ApiCreatedResponse({
    description: 'published (published: false when this exact version was published before)',
    schema: {
      example: { version: 'policy-2027.1', effectiveFrom: '2027-01-01', published: true, streamVersion: 1 },
    },
  })
  @ApiUnprocessableEntityResponse({
    description: 'the policy is invalid or clashes with a published version; the body names the field',
    schema: {
      example: { statusCode: 422, error: 'rule_violation', rule: 'policy-schema', field: 'annualBaseFen' },
    },
  })
  publish(
    @Body() body: PublishPolicyDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() correlationId?: string,
  ): Promise<PolicyPublishedView> {
    return this.commands.execute(
      new PublishPolicyCommand(body.policy, body.reason, actor, correlationId ?? uuidv7()),
    );
  }

  /** Every version, oldest effectiveFrom first; the RULES.md default is in force until another takes effect. */
  @Get()
  @Roles('city_bureau', 'finance_officer', 'auditor', 'district_office', 'operator')
  @ApiOkResponse({
    description: 'the policy versions',
    schema: {
      example: [{ version: 'policy-2026.1', effectiveFrom: '2026-01-01', annualBaseFen: '100000000' }],
    },
  })
  async list() {
    const { state } = await this.repository.load(policyBookDecider, POLICY_BOOK_STREAM);
    return state.policies;
  }
}
