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

/** What an expert wrote (an opinion, a finding), as `actor` may read it: as their id (the trail does the same). */
export function writtenAsShownTo(actor: Actor, expertId: string, text: string): string {
  return expertAsShownTo(actor, expertId) === WITHHELD ? WITHHELD : text;
}

/** List rows with their panels as `actor` may read them: every list of candidacies goes through this. */
export function panelsAsShownTo<R extends { experts: string[] }>(actor: Actor, rows: R[]): R[] {
  return rows.map((r) => ({ ...r, experts: r.experts.map((e) => expertAsShownTo(actor, e)) }));
}
