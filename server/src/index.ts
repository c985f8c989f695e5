// The server is a library first: tests, the CLI (branch/main.ts) and Electron call these.
export { createBranchServer } from './branch/create-branch-server.js';
export type { BranchServer, BranchServerOptions } from './branch/options.js';
export type { Clock } from './shared/clock.js';
export { createCentralServer, type CentralServer, type CentralServerOptions } from './central/create-central-server.js';
