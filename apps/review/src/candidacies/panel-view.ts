import type { Actor, Role } from '@nqpf/contracts';

const WITHHELD = '(withheld)';
const SEES_THE_PANEL: readonly Role[] = ['city_bureau', 'auditor'];

/**
 * An assigned expert's id as `actor` may read it (A9.1): the bureau and auditors see the panel; an expert
 * sees themself only (each judges on their own); the center's operator and its district office see that an
 * expert is there, not who (an applicant who knows who marked it down can press them).
 */
export function expertAsShownTo(actor: Actor, expertId: string): string {
  return SEES_THE_PANEL.includes(actor.role) || expertId === actor.id ? expertId : WITHHELD;
}

/**
 * The assigned experts who declared a conflict with a party after their assignment (A9.1: still assigned,
 * off the panel), as `actor` may read them: the bureau and auditors, who decide on the panel, see who; no
 * one else reads whose conflict it is (a conflicted expert reads nothing of the candidacy at all).
 */
export function conflictedAsShownTo(actor: Actor, conflicted: readonly string[]): string[] {
  return SEES_THE_PANEL.includes(actor.role) ? [...conflicted] : [];
}

/** What an expert wrote (an opinion, a finding), as `actor` may read it: as their id (the trail does the same). */
export function writtenAsShownTo(actor: Actor, expertId: string, text: string): string {
  return expertAsShownTo(actor, expertId) === WITHHELD ? WITHHELD : text;
}

/** An expert's review or site inspection, in full (the candidacy) or its score or verdict only (a list row). */
export interface PanelWork {
  expertId: string;
  opinion?: string;
  finding?: string;
}

/**
 * Reviews or site inspections as `actor` may read them, on the candidacy and in every list: an expert
 * reads their own only (A9.1: each judges on their own); the author and what they wrote as above. The
 * score and an inspection's verdict stay: what the panel concluded, not who wrote what.
 */
export function panelWorkAsShownTo<W extends PanelWork>(actor: Actor, work: readonly W[]): W[] {
  const own = actor.role === 'expert' ? work.filter((w) => w.expertId === actor.id) : work;
  return own.map((w) => {
    const shown: W = { ...w, expertId: expertAsShownTo(actor, w.expertId) };
    if (w.opinion !== undefined) shown.opinion = writtenAsShownTo(actor, w.expertId, w.opinion);
    if (w.finding !== undefined) shown.finding = writtenAsShownTo(actor, w.expertId, w.finding);
    return shown;
  });
}

/**
 * List rows with their panels, and the panel's scores and verdicts, as `actor` may read them, with how many
 * experts are assigned and how many of the reviews `actor` may read are recorded (an expert: their own):
 * every list of candidacies goes through this.
 */
export function panelsAsShownTo<
  R extends { experts: string[]; reviews: PanelWork[]; inspections: PanelWork[] },
>(actor: Actor, rows: R[]): (R & { expertsAssigned: number; reviewsRecorded: number })[] {
  return rows.map((r) => {
    const reviews = panelWorkAsShownTo(actor, r.reviews);
    return {
      ...r,
      experts: r.experts.map((e) => expertAsShownTo(actor, e)),
      expertsAssigned: r.experts.length,
      reviews,
      reviewsRecorded: reviews.length,
      inspections: panelWorkAsShownTo(actor, r.inspections),
    };
  });
}
