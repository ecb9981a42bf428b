export * from './kafka';
export * from './wire';
export * from './producer';
export * from './consumer';
