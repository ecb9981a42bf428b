export * from './errors';
export * from './decider';
export * from './input';
export * from './district-units';
