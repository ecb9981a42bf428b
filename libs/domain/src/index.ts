export * from './errors';
export * from './decider';
export * from './unknown-event-type';
export * from './input';
export * from './district-units';
export * from './art6-facts';
export * from './art6-fact-fields';
