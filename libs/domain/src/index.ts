export * from './errors';
export * from './decider';
export * from './input';
export * from './district-units';
export * from './art6-facts';
export * from './art6-fact-fields';
