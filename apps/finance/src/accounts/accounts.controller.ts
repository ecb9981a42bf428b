import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { assertCanActOrNotFound, CurrentActor, Roles } from '@nqpf/auth';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { InvalidInputError, NotFoundError } from '@nqpf/domain';
import type { Pool } from 'pg';
import { AggregateRepository, CorrelationId, PG_POOL } from '@nqpf/platform';
import { moneyFrom } from '../api/money-input';
import { heldGrantRevision, heldRevisions } from '../consumers/held-revisions';
import { operatingDeadlines } from '../consumers/operating-deadlines';
import { subsidyAccountDecider } from '../domain/subsidy-account/subsidy-account.decider';
import { subsidyAccountStream } from '../domain/subsidy-account/subsidy-account.events';
import {
  AccountCommandMessage,
  AccountCommandView,
  AccountRequest,
  ReplacementRequest,
} from './account.command';
import {
  ApproveYear1CostsDto,
  ReviseYear1ApprovalDto,
  CorrectionDto,
  DeclareYear1CostsDto,
  DisbursementDto,
  ExpenditureDto,
  ReplacementDto,
} from './account.dtos';
import { accountAsShownTo, accountView } from './account.view';

const RECORDED_EXAMPLE = {
  centerId: '0193a1b2-…',
  version: 4,
  recorded: [{ type: 'finance.disbursement-recorded', payload: { entryId: '0193…', amountFen: '5000000' } }],
};

/** The fields of each kind of replacement; one of the other kind would be dropped, so it is refused. */
const REPLACEMENT_FIELDS = {
  disbursement: ['disbursedOn', 'reference', 'deadlinePassedAcknowledged'],
  expenditure: ['category', 'evidenceHash', 'spentOn', 'description'],
} as const;

function replacementOf(dto: ReplacementDto): ReplacementRequest {
  const other =
    dto.kind === 'disbursement' ? REPLACEMENT_FIELDS.expenditure : REPLACEMENT_FIELDS.disbursement;
  const stray = other.find((field) => dto[field] != null);
  if (stray)
    throw new InvalidInputError(`replacement.${stray}`, `is not a field of a ${dto.kind} replacement`);
  const amount = moneyFrom(dto, 'amount', 'replacement.');
  if (dto.kind === 'disbursement')
    return {
      kind: 'disbursement',
      amount,
      disbursedOn: dto.disbursedOn!,
      reference: dto.reference ?? null,
      deadlinePassedAcknowledged: dto.deadlinePassedAcknowledged,
    };
  return {
    kind: 'expenditure',
    amount,
    category: dto.category!,
    evidenceHash: dto.evidenceHash!,
    spentOn: dto.spentOn!,
    description: dto.description,
  };
}

/**
 * An operator's command names its own center's account: checked against the token before any lookup, another
 * center's answers as the decider answers an account that does not exist (404), whether it exists or not.
 */
function ownAccount(actor: Actor, centerId: string): void {
  assertCanActOrNotFound(
    actor,
    { id: centerId, centerId },
    'write',
    () => new NotFoundError('subsidy account'),
  );
}

@ApiTags('subsidy accounts (A12, A13)')
@ApiBearerAuth()
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'a retried command returns the first result',
})
@ApiBadRequestResponse({
  description: 'a field is invalid; the body names it',
  schema: { example: { statusCode: 400, error: 'invalid_input', field: 'amountYuan' } },
})
@ApiForbiddenResponse({ description: 'your role may not call this route' })
@ApiNotFoundResponse({
  description:
    'no subsidy account with this id in your scope: another center’s or district’s answers exactly as one that does not exist',
})
@ApiConflictResponse({ description: 'not allowed in the account’s current state, or a concurrent change' })
@ApiUnprocessableEntityResponse({ description: 'a rule refuses it (A12 grant exceeded, A13 category, …)' })
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: AggregateRepository,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  private run(centerId: string, request: AccountRequest, actor: Actor, correlationId?: string) {
    return this.commands.execute<AccountCommandMessage, AccountCommandView>(
      new AccountCommandMessage(centerId, request, actor, correlationId ?? uuidv7()),
    );
  }

  /** A12.2: the operator of the center declares its year-1 costs. */
  @Post(':centerId/year1-costs')
  @Roles('operator')
  @ApiCreatedResponse({
    description:
      'declared; awaits the bureau (declared again before its decision, replaces the pending one it names in `replacesDeclarationId`, with the `reason` why)',
    schema: { example: RECORDED_EXAMPLE },
  })
  declareYear1Costs(
    @Param('centerId') centerId: string,
    @Body() body: DeclareYear1CostsDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    ownAccount(actor, centerId);
    const items = body.items.map((item, i) => ({
      category: item.category,
      amount: moneyFrom(item, 'amount', `items[${i}].`),
      evidenceHash: item.evidenceHash,
      description: item.description,
    }));
    return this.run(
      centerId,
      {
        kind: 'declare-year1-costs',
        items,
        replacesDeclarationId: body.replacesDeclarationId ?? null,
        reason: body.reason ?? null,
      },
      actor,
      cid,
    );
  }

  /** A12.2: the bureau approves; the year-1 grant = min(cap, rate × approved) follows. */
  @Post(':centerId/year1-costs/approve')
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({ description: 'approved and granted', schema: { example: RECORDED_EXAMPLE } })
  approveYear1Costs(
    @Param('centerId') centerId: string,
    @Body() body: ApproveYear1CostsDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    const approved = moneyFrom(body, 'approved');
    const request: AccountRequest = {
      kind: 'approve-year1-costs',
      declarationId: body.declarationId,
      approved,
      reason: body.reason ?? null,
    };
    return this.run(centerId, request, actor, cid);
  }

  /**
   * A12.2, a correction: the bureau's approval was wrong (an amount keyed wrongly). The year-1 grant is
   * reversed and decided again on the corrected costs; never below what year 1 has disbursed (409).
   */
  @Post(':centerId/year1-costs/revise')
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({
    description: 'approval revised and the grant decided again',
    schema: { example: RECORDED_EXAMPLE },
  })
  reviseYear1Approval(
    @Param('centerId') centerId: string,
    @Body() body: ReviseYear1ApprovalDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    const request: AccountRequest = {
      kind: 'revise-year1-approval',
      declarationId: body.declarationId,
      approved: moneyFrom(body, 'approved'),
      reason: body.reason,
    };
    return this.run(centerId, request, actor, cid);
  }

  /**
   * The finance officer pays out part or all of a support year's grant, never more than it, never dated
   * before it was decided. After a revocation (A16, A17.3), only a payment made on or before the revocation
   * day, of the grants decided by then and up to what the stop cancelled of that year
   * (finance.cancellation-reduced, then the disbursement); any other is a 422. Before it (and after an A16
   * or A17.3b stop), one dated after the A17.3a revocation day — the center's operating deadline + 1 — with
   * no start in time only with deadlinePassedAcknowledged.
   */
  @Post(':centerId/disbursements')
  @Roles('finance_officer')
  @ApiCreatedResponse({
    description:
      'disbursed (after a revocation: finance.cancellation-reduced, then finance.disbursement-recorded)',
    schema: { example: RECORDED_EXAMPLE },
  })
  @ApiConflictResponse({
    description:
      'not allowed in the account’s current state, or a concurrent change; while a grade correction is held ' +
      '(A12.3), any disbursement of the center, naming in heldRevisions the support year, the corrected ' +
      'grade, the grant it decides and toCorrectFen, the disbursements to correct first',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'a rule refuses it: A12 (above the grant, before it was decided, the same payment twice), the ' +
      'revocation’s rule (after the stop), or A17.3a: paid after the revocation day, the center’s operating ' +
      'deadline + 1, with no operation start in time (the deadline and the day after it need nothing) — the ' +
      'body names field ' +
      'deadlinePassedAcknowledged, operatingDeadline, operationStartedOn and disbursedOn; send ' +
      'deadlinePassedAcknowledged: true to record it, with the check and the acknowledgement',
    schema: {
      example: {
        statusCode: 422,
        error: 'rule_violation',
        rule: 'A17.3a',
        field: 'deadlinePassedAcknowledged',
        operatingDeadline: '2028-03-10',
        operationStartedOn: null,
        disbursedOn: '2028-03-20',
      },
    },
  })
  disburse(
    @Param('centerId') centerId: string,
    @Body() body: DisbursementDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    const request: AccountRequest = {
      kind: 'disburse',
      supportYear: body.supportYear,
      amount: moneyFrom(body),
      disbursedOn: body.disbursedOn,
      reference: body.reference,
      deadlinePassedAcknowledged: body.deadlinePassedAcknowledged,
    };
    return this.run(centerId, request, actor, cid);
  }

  /** A13: recorded with its decision; `finance.expenditure-rejected` when the rule refuses it. */
  @Post(':centerId/expenditures')
  @Roles('operator')
  @ApiCreatedResponse({
    description: 'recorded: finance.expenditure-accepted, or finance.expenditure-rejected with the reasons',
    schema: { example: RECORDED_EXAMPLE },
  })
  recordExpenditure(
    @Param('centerId') centerId: string,
    @Body() body: ExpenditureDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    ownAccount(actor, centerId);
    const request: AccountRequest = {
      kind: 'record-expenditure',
      supportYear: body.supportYear,
      category: body.category,
      amount: moneyFrom(body),
      evidenceHash: body.evidenceHash,
      spentOn: body.spentOn,
      description: body.description,
    };
    return this.run(centerId, request, actor, cid);
  }

  /** No edits: the finance officer reverses an entry with a reason, optionally replacing it. */
  @Post(':centerId/corrections')
  @Roles('finance_officer')
  @ApiCreatedResponse({
    description:
      'reversed (and replaced); a replacement disbursement dated from the A17.3a operating deadline + 2 with no ' +
      'start in time needs replacement.deadlinePassedAcknowledged (422 A17.3a naming it), as a disbursement does',
    schema: { example: RECORDED_EXAMPLE },
  })
  correct(
    @Param('centerId') centerId: string,
    @Body() body: CorrectionDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() cid?: string,
  ) {
    const request: AccountRequest = {
      kind: 'correct-entry',
      reversesEntryId: body.reversesEntryId,
      reason: body.reason,
      replacement: body.replacement && replacementOf(body.replacement),
    };
    return this.run(centerId, request, actor, cid);
  }

  /**
   * The ledger: its operator, its district office, the bureau, finance officers and auditors. Finance
   * officers read `operatorId` as `(withheld)`, as the registry's standing shows them `operator.accountId`.
   */
  @Get(':centerId')
  @Roles('operator', 'district_office', 'city_bureau', 'finance_officer', 'auditor')
  @ApiOkResponse({
    description:
      'support years with granted / disbursed / spent / balance in fen, and the entries; a year whose grant ' +
      'waits on a grade correction shows it in heldRevision (the corrected year and grade, the grant it ' +
      'decides, toCorrectFen: the disbursements to correct before it applies; null when none is held); ' +
      'operatingDeadline: the A17.3a deadline assessment tracked at recognition, and operationStartedOn: the ' +
      'start it recorded (each null while finance has not read it) — a disbursement dated from the deadline + 2 ' +
      'with no start by it needs deadlinePassedAcknowledged; ' +
      'operatorId (the account that filed the application) reads (withheld) for finance officers',
    schema: {
      example: {
        centerId: '0193a1b2-…',
        status: 'open',
        operatingDeadline: '2028-03-10',
        operationStartedOn: null,
        years: [
          {
            supportYear: 2,
            status: 'granted',
            grantedFen: '50000000',
            disbursedFen: '30000000',
            balanceFen: '30000000',
            heldRevision: {
              assessedYear: 2026,
              previousGrade: '合格',
              grade: '不合格',
              revisedOn: '2027-02-16',
              reason: '录入错误，按考核结论更正',
              grantFen: '0',
              toCorrectFen: '30000000',
            },
          },
        ],
      },
    },
  })
  async get(@Param('centerId') centerId: string, @CurrentActor() actor: Actor) {
    const { state, version } = await this.repository.load(
      subsidyAccountDecider,
      subsidyAccountStream(centerId),
    );
    // Another's account reads as one that does not exist: the same 404.
    const notFound = () => new NotFoundError('subsidy account', centerId);
    if (state.status === 'none') throw notFound();
    assertCanActOrNotFound(actor, { id: centerId, centerId, district: state.district }, 'read', notFound);
    const held = (await heldRevisions.of(this.pool, centerId)).map(heldGrantRevision);
    const deadline = await operatingDeadlines.of(this.pool, centerId);
    return accountAsShownTo(actor, accountView(state, version, held, deadline));
  }
}
