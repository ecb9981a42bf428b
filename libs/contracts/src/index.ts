export * from './envelope';
export * from './topics';
export * from './ids';
export * from './events/intake';
