/** The fields of a loaded record that decide who may see or change it. */
export interface AccessTarget {
  /** The object's id, for denial logs. */
  id?: string | null;
  district?: string | null;
  centerId?: string | null;
  /** Experts assigned to review the application. */
  assignedExpertIds?: readonly string[];
  /** Experts who declared a conflict with it (never allowed, even if assigned). */
  conflictedExpertIds?: readonly string[];
}

export type AccessMode = 'read' | 'write';
