export * from './recorded-decisions';
export * from './written-reason';
export * from './replay-recorded';
export * from './replay-store';
export * from './replay-stores';
export * from './verify-stores';
export * from './open-store';
export * from './service-databases';
