// The shell talks to the server library through a serialisable subset of its API
// (server-protocol.ts). These checks fail — at `npm run typecheck` and here — if the library's
// createBranchServer drifts from what the shell sends and reads.
import { describe, expect, it } from 'vitest';
import * as serverLibrary from '../server/src/index.js';
import type { ServerModuleLike } from './server-protocol.js';

// Compile-time: the options the shell sends are BranchServerOptions, the BranchServer it gets back
// has what the shell reads.
const typed: ServerModuleLike = serverLibrary;

describe('server library contract', () => {
  it('exports createBranchServer from the entry the app bundles (server/dist/index.js once built)', () => {
    expect(typeof typed.createBranchServer).toBe('function');
  });
});
