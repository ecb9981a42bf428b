export * from './config';
export * from './tokens';
export * from './health';
export * from './metrics';
export * from './platform.module';
export * from './bootstrap';
export * from './errors.filter';
