import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { assertCanActOrNotFound } from '@nqpf/auth';
import { type EventEnvelope, type ObjectionRefusedV1, ReviewEventTypes as T, uuidv7 } from '@nqpf/contracts';
import { givenText, InvalidInputError, NotFoundError, requireInstant, underRules } from '@nqpf/domain';
import { AggregateRepository, Clock, PublishedPolicies, retryingConflicts, UnitOfWork } from '@nqpf/platform';
import {
  decideEligibility,
  defaultPolicy,
  decideObjectionAdmissible,
  decidePublicityEnd,
  isLocalDate,
  shanghaiToday,
  WorkingDayCalendar,
} from '@nqpf/rules';
import type { PoolClient } from 'pg';
import type {
  AdmissibilityDecision,
  CandidacyCommand,
  EligibilityDecision,
  PublicityDecision,
} from '../domain/candidacy/candidacy.commands';
import { candidacyAggregate } from './candidacy.aggregate';
import { CandidacyState, phaseOf } from '../domain/candidacy/candidacy.state';
import { recognitionDateOf, requireNotBackdated } from '../domain/candidacy/decide-publicity';
import { existing } from '../domain/candidacy/guards';
import { expertDecider } from '../domain/expert/expert.decider';
import { recordPublicityDeadlines } from '../deadlines/publicity-deadlines.store';
import { conflictedExperts } from '../experts/conflicted-experts';
import { lockExperts } from '../experts/expert-locks';
import { CandidacyCommandMessage, CandidacyView } from './candidacy.command';
import { CandidaciesProjection } from './read-model/candidacies.projection';
import { candidacyStream, expertStream } from './streams';

/**
 * Every candidacy use case: check the actor may act on this application, take the rules' decisions the
 * command needs (eligibility, publicity end, objection admissibility) for the clock's now, and append.
 */
@CommandHandler(CandidacyCommandMessage)
export class CandidacyHandler implements ICommandHandler<CandidacyCommandMessage, CandidacyView> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly rows: CandidaciesProjection,
    private readonly calendar: WorkingDayCalendar,
    private readonly policies: PublishedPolicies,
  ) {}

  /**
   * The events, the publicity deadline they schedule and the candidacy's list row commit together. An
   * objection is independent of whatever else was written meanwhile (another objection, the timer ending
   * publicity): a version conflict is retried with the moment it was received, not answered 409 — on the
   * last day the objector's own retry would come too late.
   */
  execute(m: CandidacyCommandMessage): Promise<CandidacyView> {
    const now = this.clock.now();
    const objectionId = m.request.kind === 'raise-objection' ? uuidv7() : undefined;
    return this.uow.run(async (tx) => {
      const attempt = () =>
        this.handle(m, tx, now, objectionId).then(async ({ view, events, state, version, at }) => {
          await recordPublicityDeadlines(tx, events);
          if (state.status !== 'none') await this.rows.write(tx, state, version, at);
          return view;
        });
      return objectionId ? retryingConflicts(tx, attempt) : attempt();
    });
  }

  private async handle(m: CandidacyCommandMessage, tx: PoolClient, now: Date, objectionId?: string) {
    const stream = candidacyStream(m.applicationId);
    let loaded = await this.repository.load(candidacyAggregate, stream);
    if (loaded.state.status !== 'none') {
      // Held to commit, before any expert's conflicts are read (the assignee's A9.1 check, the row's
      // conflicted experts): a conflict declared meanwhile waits, then finds this row (expert-locks.ts).
      const assignee = m.request.kind === 'assign-expert' ? [m.request.expertId] : [];
      await lockExperts(tx, [...loaded.state.experts, ...assignee]);
      // Every command on the candidacy holds these locks: read again under them, an objection is decided
      // on the stream as the writers before it left it, not refused for their versions.
      if (objectionId) loaded = await this.repository.load(candidacyAggregate, stream);
    }
    const { state } = loaded;
    // A candidacy outside the actor's scope answers as one that does not exist (the decider's 404), and
    // both before anything that could tell them apart (409 state, 422 rule, the expert's registration).
    // Not for an objection (public, answered by its publicity, A9.4) nor the one that opens the candidacy.
    if (m.request.kind !== 'raise-objection' && m.request.kind !== 'open') {
      const notFound = () => new NotFoundError('candidacy');
      if (state.status === 'none') throw notFound();
      assertCanActOrNotFound(
        m.actor,
        {
          id: m.applicationId,
          centerId: m.applicationId,
          district: state.district,
          assignedExpertIds: state.experts,
          conflictedExpertIds:
            m.actor.role === 'expert' ? await conflictedExperts(this.repository, state, [m.actor.id]) : [],
        },
        'write',
        notFound,
      );
    }
    const command = await this.command(m, state, now, objectionId);
    const handled = await this.repository.execute(
      candidacyAggregate,
      stream,
      command,
      {
        actor: m.actor,
        correlationId: m.correlationId,
        causationId: m.causationId,
        centerId: m.applicationId,
        occurredAt: now.toISOString(),
      },
      { loaded },
    );
    const view: CandidacyView = {
      applicationId: m.applicationId,
      status: handled.state.status,
      phase: phaseOf(
        handled.state,
        handled.state.status === 'none'
          ? []
          : await conflictedExperts(this.repository, handled.state, handled.state.experts),
      ),
      version: handled.version,
      ...(objectionId ? { objectionId } : {}),
      ...(m.request.kind === 'raise-objection' && m.request.letter ? admissibilityOf(handled.events) : {}),
    };
    return {
      view,
      events: handled.events,
      state: handled.state,
      version: handled.version,
      at: now.toISOString(),
    };
  }

  private async command(
    m: CandidacyCommandMessage,
    state: CandidacyState,
    now: Date,
    objectionId?: string,
  ): Promise<CandidacyCommand> {
    const at = now.toISOString();
    const today = shanghaiToday(now);
    const r = m.request;
    switch (r.kind) {
      case 'open': {
        // Under the policy in force on the acceptance day, not on the day this consumer read it: a lag
        // across a policy's effective date must not change the outcome.
        const acceptedOn = shanghaiToday(new Date(r.accepted.acceptedAt));
        const decision = decideEligibility(
          r.accepted.facts,
          await this.policies.inForceOn(acceptedOn),
        ) as EligibilityDecision;
        return { kind: 'open', accepted: r.accepted, eligibilityDecision: decision, at };
      }
      case 'assign-expert':
        return { kind: 'assign-expert', expert: await this.expert(r.expertId), at };
      case 'record-review':
      case 'record-site-inspection':
      case 'revise-review':
      case 'revise-site-inspection':
        return { ...r, expert: await this.expert(m.actor.id), at };
      case 'start-publicity': {
        // Refused before the calendar is asked: an unknown or unlisted candidacy by its state (404, 409),
        // a day in a past year the calendar lacks as a backdating (422) — not 503.
        existing(state, ['listed'], 'start publicity');
        if (isLocalDate(r.publishedOn)) requireNotBackdated(r.publishedOn, at);
        // Counted under the policy in force on the publication day, which may lie ahead of today.
        const policy = await this.policies.inForceOn(isLocalDate(r.publishedOn) ? r.publishedOn : today);
        // An impossible date (2026-02-30) passes the DTO's pattern; the rule names it: a 400, not a 500.
        const decision = underRules(() =>
          decidePublicityEnd({ publishedOn: r.publishedOn }, policy, this.calendar),
        );
        return { kind: 'start-publicity', publicityDecision: decision as PublicityDecision, at };
      }
      case 'raise-objection': {
        // A letter counts from its receipt (A9.4's period), not from the morning it is typed in.
        const receivedAt = r.letter ? receiptOf(r.letter.receivedAt, now) : at;
        const publicity = state.status === 'none' ? undefined : state.publicity;
        // Under the policy the period was decided under, read here: a lagging copy of finance's policy
        // book must not turn objections away. Without a publicity the decider refuses first (404).
        const policy = publicity ? await this.policies.version(publicity.policyVersion) : defaultPolicy;
        const admissibility = decideObjectionAdmissible(
          {
            receivedAt,
            publishedOn: publicity?.publishedOn ?? today,
            publicityEndsAtExclusive: publicity?.endsAt ?? at,
            inWriting: r.inWriting,
            realName: givenText(r.objector.name),
            contact: givenText(r.objector.contact),
          },
          policy,
        ) as AdmissibilityDecision;
        return {
          kind: 'raise-objection',
          objectionId: objectionId!,
          objector: r.objector,
          content: r.content,
          admissibility,
          at: receivedAt,
          letter: r.letter && { reference: r.letter.reference, enteredAt: at },
        };
      }
      case 'sign-agreement': {
        const party = m.actor.role === 'district_office' ? 'district' : 'bureau';
        return {
          kind: 'sign-agreement',
          party,
          district: m.actor.district ?? undefined,
          reason: r.reason,
          at,
          policyVersion: await this.recognitionPolicyVersion(party, state, today),
        };
      }
      case 'decide-listing':
        return {
          ...r,
          at,
          conflictedExpertIds:
            state.status === 'none' ? [] : await conflictedExperts(this.repository, state, state.experts),
        };
      default:
        return { ...r, at } as CandidacyCommand;
    }
  }

  /**
   * The version in force on the recognition date, when this signature recognises the center (the other
   * party has signed). The first signature needs none.
   */
  private async recognitionPolicyVersion(
    party: 'bureau' | 'district',
    state: CandidacyState,
    today: string,
  ): Promise<string | undefined> {
    if (state.status === 'none' || !('signatures' in state)) return undefined;
    const recognitionDate = recognitionDateOf(state.signatures, party, today);
    return recognitionDate && (await this.policies.inForceOn(recognitionDate)).version;
  }

  private async expert(expertId: string) {
    return (await this.repository.load(expertDecider, expertStream(expertId))).state;
  }
}

/** Whether A9.4 accepted the letter just entered and, refused, why: as the recorded decision says. */
function admissibilityOf(events: readonly EventEnvelope[]): Partial<CandidacyView> {
  const refused = events.find((e) => e.type === T.ObjectionRefused);
  if (!refused) return { admissible: true };
  const { admissibility } = refused.payload as ObjectionRefusedV1;
  return {
    admissible: false,
    rule: 'A9.4',
    failed: admissibility.outcome.failed,
    reasons: admissibility.reasons
      .filter((r) => !r.passed)
      .map((r) => ({
        ruleId: r.ruleId,
        criterion: r.criterion,
        measured: r.measured,
        threshold: r.threshold,
        message: r.message.en,
      })),
  };
}

/** A letter's receipt time as the store writes instants; one still to come is no receipt (400). */
function receiptOf(receivedAt: string, now: Date): string {
  // requireInstant checks the calendar and the clock fields, so the date is a real one.
  const received = new Date(requireInstant('receivedAt', receivedAt));
  if (received > now) throw new InvalidInputError('receivedAt', `${receivedAt} is not a past moment`);
  return received.toISOString();
}
