export * from './isolation';
export * from './service-under-test';
export { localInfra, repoRoot } from './infrastructure';
export * from './publish-event';
export * from './application-fixtures';
export * from './temp-file';
export * from './transactions';
export { PrivateBroker } from './private-broker';
export * from './answered-as-unknown';
