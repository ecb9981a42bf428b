export * from './isolation';
export { repoRoot } from './infrastructure';
