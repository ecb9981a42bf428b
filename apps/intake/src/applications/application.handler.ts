import type { PoolClient } from 'pg';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { assertCanActOrNotFound } from '@nqpf/auth';
import type { Actor } from '@nqpf/contracts';
import { NotFoundError } from '@nqpf/domain';
import {
  AggregateRepository,
  Clock,
  CONFIG,
  PublishedPolicies,
  requireReadVersion,
  UnitOfWork,
} from '@nqpf/platform';
import { decideMaterials, Policy, shanghaiToday } from '@nqpf/rules';
import { callStream, lockCall } from '../calls/call.handlers';
import { callDecider } from '../domain/call/call.decider';
import {
  ApplicationCommand,
  applicationDecider,
  ApplicationState,
  MaterialsDecision,
} from '../domain/application/application.decider';
import type { IntakeConfig } from '../config';
import { ApplicationCommandMessage, ApplicationView } from './application.command';
import { applicationStream } from './application.stream';
import { upsertApplicationRow } from './read-model/application-rows';

/**
 * Every application use case: check the actor may act on this application (its center, its district),
 * give the decider the moment, the call and the A8 decision it needs, and append with the loaded version.
 */
@CommandHandler(ApplicationCommandMessage)
export class ApplicationHandler implements ICommandHandler<ApplicationCommandMessage, ApplicationView> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly policies: PublishedPolicies,
    @Inject(CONFIG) private readonly config: Pick<IntakeConfig, 'NQPF_DISTRICT_UNITS'>,
  ) {}

  /** The events and the application's list row commit together. */
  execute(message: ApplicationCommandMessage): Promise<ApplicationView> {
    return this.uow.run((tx) => this.handle(message, tx));
  }

  private async handle(message: ApplicationCommandMessage, tx: PoolClient): Promise<ApplicationView> {
    const { applicationId, actor } = message;
    const now = this.clock.now();
    const loaded = await this.repository.load(applicationDecider, applicationStream(applicationId));
    const { state } = loaded;
    // Another's application answers as one that does not exist (the decider's 404), and both before
    // anything that could tell them apart: a 412 names the version, a 409 the state, a 422 the call.
    const notFound = () => new NotFoundError('application');
    if (state.status === 'none' && message.request.kind !== 'draft') throw notFound();
    assertCanActOrNotFound(
      actor,
      {
        id: applicationId,
        centerId: applicationId,
        district: state.status === 'none' ? (actor.district ?? null) : state.district,
      },
      'write',
      notFound,
    );
    requireReadVersion(message.expectedVersion, loaded.version);
    const command = await this.command(message, state, now, tx);
    const handled = await this.repository.execute(
      applicationDecider,
      applicationStream(applicationId),
      command,
      {
        actor,
        correlationId: message.correlationId,
        centerId: applicationId,
        occurredAt: now.toISOString(),
      },
      { loaded },
    );
    const after = handled.state;
    if (after.status !== 'none') await upsertApplicationRow(tx, after, handled.version, now.toISOString());
    return {
      applicationId,
      status: after.status,
      revision: after.status === 'none' ? 0 : after.revision,
      version: handled.version,
    };
  }

  private async command(
    m: ApplicationCommandMessage,
    state: ApplicationState,
    now: Date,
    tx: PoolClient,
  ): Promise<ApplicationCommand> {
    const at = now.toISOString();
    const r = m.request;
    const operatorAccountId = m.actor.id;
    const districtUnits = this.config.NQPF_DISTRICT_UNITS;
    switch (r.kind) {
      case 'draft':
        return {
          ...r,
          applicationId: m.applicationId,
          call: await this.call(r.callId, tx),
          operatorAccountId,
          districtUnits,
          at,
        };
      case 'amend':
        return { ...r, districtUnits };
      case 'submit':
        return {
          kind: 'submit',
          call: await this.call(state.status === 'none' ? '' : state.callId, tx),
          districtUnits,
          at,
        };
      case 'endorse':
      case 'return-by-district':
        return { ...r, district: districtOf(m.actor), at };
      case 'check-materials':
        return {
          kind: 'check-materials',
          at,
          materialsDecision: materialsDecision(state, await this.policies.inForceOn(shanghaiToday(now))),
        };
      case 'return-for-supplement':
        return { ...r, at };
    }
  }

  /** The call as it stands, held (shared) until this command commits: see lockCall. */
  private async call(callId: string, tx: PoolClient) {
    if (!callId) return callDecider.initialState();
    await lockCall(tx, callId, 'shared');
    return (await this.repository.load(callDecider, callStream(callId), tx)).state;
  }
}

function districtOf(actor: Actor): string {
  return actor.district ?? '';
}

function materialsDecision(state: ApplicationState, policy: Policy): MaterialsDecision {
  const materials = state.status === 'none' ? [] : state.materials;
  return decideMaterials({ materials }, policy) as MaterialsDecision;
}
