import {
  type Actor,
  type EventEnvelope,
  type ObjectionDismissedV1,
  type ObjectionInvestigationStartedV1,
  type ObjectionRaisedV1,
  type ObjectionRefusedV1,
  type ObjectionUpheldV1,
  ReviewEventTypes as T,
  type Role,
} from '@nqpf/contracts';
import { daysBetween, shanghaiDateOf } from '@nqpf/rules';
import type { ObjectionStatus } from '../domain/candidacy/candidacy.state';

/**
 * An A9.4 objection as its events recorded it. The candidacy's state keeps objections by id and status
 * only (its snapshots hold no objector or text), so the bureau ruling on one reads it from the stream.
 */
export interface ObjectionRecord {
  objectionId: string;
  status: ObjectionStatus;
  /** When it was received: for a letter, the receipt the bureau entered (A9.4's period counts it). */
  receivedAt: string;
  /** As given; a refused letter's name or contact is null when it had none (anonymous, A9.4). */
  objector: { name: string | null; contact: string | null };
  content: string;
  /** Who sent it: the public, whoever was signed in, or the bureau entering a letter. */
  sentBy: { id: string; role: string };
  letter: { reference: string; enteredAt: string } | null;
  investigation: { startedAt: string; note: string | null } | null;
  ruling: { upheld: boolean; reason: string; ruledAt: string } | null;
  /**
   * A letter A9.4 refused (status `refused`: received outside the period, or anonymous): the rule and the
   * criteria that failed, as its recorded decision says; never open. Null for every other objection.
   */
  refusal: { rule: 'A9.4'; failed: string[]; reasons: { criterion: string; message: string }[] } | null;
}

/** The objections recorded in a candidacy's events (letters refused included), in the order received. */
export function objectionsOf(events: readonly EventEnvelope[]): ObjectionRecord[] {
  const byId = new Map<string, ObjectionRecord>();
  const update = (id: string, change: Partial<ObjectionRecord>) => {
    const record = byId.get(id);
    if (record) byId.set(id, { ...record, ...change });
  };
  for (const e of events) {
    switch (e.type) {
      case T.ObjectionRaised: {
        const p = e.payload as ObjectionRaisedV1;
        byId.set(p.objectionId, {
          objectionId: p.objectionId,
          status: 'raised',
          receivedAt: p.raisedAt,
          objector: p.objector,
          content: p.content,
          sentBy: { id: e.actor.id, role: e.actor.role },
          letter: p.letter ?? null,
          investigation: null,
          ruling: null,
          refusal: null,
        });
        break;
      }
      case T.ObjectionRefused: {
        const p = e.payload as ObjectionRefusedV1;
        byId.set(p.objectionId, {
          objectionId: p.objectionId,
          status: 'refused',
          receivedAt: p.receivedAt,
          objector: { name: p.objector.name ?? null, contact: p.objector.contact ?? null },
          content: p.content,
          sentBy: { id: e.actor.id, role: e.actor.role },
          letter: p.letter,
          investigation: null,
          ruling: null,
          refusal: {
            rule: 'A9.4',
            failed: p.admissibility.outcome.failed,
            reasons: p.admissibility.reasons
              .filter((r) => !r.passed)
              .map((r) => ({ criterion: r.criterion, message: r.message.en })),
          },
        });
        break;
      }
      case T.ObjectionInvestigationStarted: {
        const p = e.payload as ObjectionInvestigationStartedV1;
        const investigation = { startedAt: p.startedAt, note: p.note ?? null };
        update(p.objectionId, { status: 'investigating', investigation });
        break;
      }
      case T.ObjectionUpheld:
      case T.ObjectionDismissed: {
        const p = e.payload as ObjectionUpheldV1 | ObjectionDismissedV1;
        const upheld = e.type === T.ObjectionUpheld;
        update(p.objectionId, {
          status: upheld ? 'upheld' : 'dismissed',
          ruling: { upheld, reason: p.reason, ruledAt: p.ruledAt },
        });
        break;
      }
    }
  }
  return [...byId.values()];
}

const WITHHELD = '(withheld)';
/** Those who may read who objected and what they wrote: the bureau rules on it, auditors read everything. */
const SEES_OBJECTORS: readonly Role[] = ['city_bureau', 'auditor'];

export type ObjectionView = ObjectionRecord & {
  /** The day (Asia/Shanghai) it was received. */
  receivedOn: string;
  /** Days (Asia/Shanghai) since that day while it awaits a ruling, raised or investigated; null once ruled. */
  pendingDays: number | null;
};

/**
 * Objections as `actor` may read them, `today` being the Asia/Shanghai date of the service's clock. As the
 * registry's trail shows them to the center (asShownToTheCenter): the objector, who sent it, what it says,
 * its letter and the bureau's investigation note read `(withheld)` for all but the bureau and auditors —
 * an applicant who knows who objected can press them. That an objection was received, when, its status,
 * the ruling with its reason, and why A9.4 refused a letter are shown to everyone who may read the
 * candidacy.
 */
export function objectionsAsShownTo(
  actor: Actor,
  records: readonly ObjectionRecord[],
  today: string,
): ObjectionView[] {
  return records.map((o) => {
    const receivedOn = shanghaiDateOf(o.receivedAt, 'receivedAt');
    const pending = o.status === 'raised' || o.status === 'investigating';
    const view = { ...o, receivedOn, pendingDays: pending ? daysBetween(receivedOn, today) : null };
    if (SEES_OBJECTORS.includes(actor.role)) return view;
    return {
      ...view,
      objector: { name: WITHHELD, contact: WITHHELD },
      content: WITHHELD,
      sentBy: { id: WITHHELD, role: WITHHELD },
      letter: o.letter && { reference: WITHHELD, enteredAt: WITHHELD },
      investigation: o.investigation && {
        startedAt: o.investigation.startedAt,
        note: o.investigation.note && WITHHELD,
      },
    };
  });
}
