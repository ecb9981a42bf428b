export * from './intake';
export * from './review';
export * from './reporting';
export * from './assessment';
export * from './finance';
export * from './registry';
export * from './json-schema';
export * from './asyncapi';
