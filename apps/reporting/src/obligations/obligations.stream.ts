/** One stream per center's obligations; the center id is the application id (ARCHITECTURE.md). */
export const obligationsStream = (centerId: string) => `reporting-center-${centerId}`;

/** The actor recorded for what the service does by itself (consumers, timers). */
export const REPORTING_SYSTEM = { id: 'reporting', role: 'system' } as const;
