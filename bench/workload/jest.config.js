// The workload's own tests (bench/ is outside the root config's testMatch):
// npx jest -c bench/workload/jest.config.js
const root = require('../../jest.config.js');

module.exports = {
  ...root,
  rootDir: `${__dirname}/../..`,
  testMatch: ['<rootDir>/bench/workload/**/*.spec.ts'],
  testTimeout: 600000,
  maxWorkers: 1,
};
