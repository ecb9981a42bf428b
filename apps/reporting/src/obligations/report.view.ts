import {
  ReportingEventTypes as T,
  type Actor,
  type EventEnvelope,
  type ReportContentV1,
  type ReportCorrectedV1,
  type ReportFiledV1,
} from '@nqpf/contracts';
import { NotFoundError } from '@nqpf/domain';
import type { ReportPeriod } from '../domain/obligations/report-period';

/** One revision as recorded; `filedBy`: the event's actor, the account that filed it. */
export interface ReportRevisionEntry {
  revision: number;
  filedOn: string;
  late: boolean;
  content: ReportContentV1;
  documentHash: string | null;
  filedBy: Actor;
  /** A correction's: the revision it superseded; null on the first filing. */
  supersedesRevision: number | null;
  /** A correction's: why; null on the first filing and on corrections recorded before it was required. */
  reason: string | null;
}

/** The events that name a report period, each as evolve takes them into the obligations' `reports`. */
export const REPORT_VIEW_EVENTS: readonly string[] = [
  T.ReportDueScheduled,
  T.ReportOverdue,
  T.ReportFiled,
  T.ReportCorrected,
];
const PERIOD_EVENTS: ReadonlySet<string> = new Set(REPORT_VIEW_EVENTS);

/**
 * A14/A15: one report as filed, from the center's stream (the state keeps only a digest of what each
 * revision says): every revision in the order filed, with its content and document as recorded, who filed
 * it, and for a correction the revision it superseded and why. `dueOn` and each revision's `late` are the
 * obligations' (`late` is the first filing's: a correction does not make a report late or on time). A period
 * no event names (neither scheduled, overdue nor filed) is unknown to the center; one named but with no
 * revision has no report yet: each a 404 naming which.
 */
export function reportView(
  centerId: string,
  period: ReportPeriod,
  events: Pick<EventEnvelope, 'type' | 'payload' | 'actor'>[],
  version: number,
) {
  let dueOn: string | null = null;
  let revisions: ReportRevisionEntry[] = [];
  for (const event of events) {
    if (!PERIOD_EVENTS.has(event.type)) continue;
    const p = event.payload as { period: string; dueOn?: string };
    if (p.period !== period.key) continue;
    // As the obligations: the due day of the first event naming the period (withReport), replaced by each
    // scheduling of it.
    if (event.type === T.ReportDueScheduled) dueOn = p.dueOn ?? '';
    else dueOn ??= p.dueOn ?? '';
    if (event.type === T.ReportFiled) {
      const filed = event.payload as ReportFiledV1;
      revisions = [
        {
          revision: 1,
          filedOn: filed.filedOn,
          late: filed.late,
          content: filed.content,
          documentHash: filed.documentHash,
          filedBy: event.actor,
          supersedesRevision: null,
          reason: null,
        },
      ];
    } else if (event.type === T.ReportCorrected) {
      const corrected = event.payload as ReportCorrectedV1;
      revisions.push({
        revision: corrected.revision,
        filedOn: corrected.filedOn,
        late: revisions[0]?.late ?? false,
        content: corrected.content,
        documentHash: corrected.documentHash,
        filedBy: event.actor,
        supersedesRevision: corrected.supersedesRevision,
        reason: corrected.reason ?? null,
      });
    }
  }
  if (dueOn === null) throw new NotFoundError(`${period.kind} report period`, period.key);
  if (revisions.length === 0) throw new NotFoundError(`filed ${period.kind} report`, period.key);
  return {
    centerId,
    kind: period.kind,
    period: period.key,
    dueOn,
    late: revisions[0]!.late,
    revisions,
    version,
  };
}
