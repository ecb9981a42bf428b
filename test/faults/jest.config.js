// The fault-injection suite (npm run test:faults): slower scenarios that kill processes and connections.
// Files are named *.fault.ts so the root config's *.spec.ts pattern never runs them in the normal suite.
const root = require('../../jest.config.js');

module.exports = {
  ...root,
  rootDir: `${__dirname}/../..`,
  testMatch: ['<rootDir>/test/faults/**/*.fault.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
