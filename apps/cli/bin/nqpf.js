#!/usr/bin/env node
// Runs the TypeScript sources directly (SWC), with the workspace's path aliases.
const path = require('path');
process.env.SWC_NODE_PROJECT ??= path.resolve(__dirname, '../../../tsconfig.json');
require('@swc-node/register');
const cli = require('../src/main.ts');
cli.main(process.argv.slice(2)).then(cli.exitAfterOutput);
