export * from './envelope';
export * from './topics';
export * from './ids';
export * from './events/intake';
export * from './events/review';
export * from './events/reporting';
export * from './events/assessment';
export * from './events/finance';
