/** One stream per center's assessments and revocation; the center id is the application id. */
export const centerStream = (centerId: string) => `assessment-center-${centerId}`;

/** The actor recorded for what the service does by itself (consumers, timers). */
export const ASSESSMENT_SYSTEM = { id: 'assessment', role: 'system' } as const;
