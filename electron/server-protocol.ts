// Messages between the main process (ServerSupervisor) and the server process (server-process.ts).
// Options travel in a message rather than argv/env: they hold the central credential.
import { z } from 'zod';

export const ServerLaunchOptionsSchema = z.object({
  port: z.number().int().min(0).max(65535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  printer: z.string().optional(),
  centralUrl: z.string().optional(),
  centralCredential: z.string().optional(),
  demo: z.boolean().optional(),
});

/** What the shell hands to createBranchServer: a serialisable subset of BranchServerOptions (server/src/branch/options.ts). */
export type ServerLaunchOptions = z.infer<typeof ServerLaunchOptionsSchema>;

/** The parts of the server library's BranchServer the shell uses (server-contract.test.ts checks they match). */
export interface BranchServerLike {
  url: string;
  port: number;
  branchId: string;
  firstStartCredentials: Array<{ login: string; password: string; role: string }>;
  close(): Promise<void>;
}

export interface ServerModuleLike {
  // Property (not method) syntax: parameters are then checked strictly, not bivariantly.
  createBranchServer: (options: ServerLaunchOptions) => Promise<BranchServerLike>;
}

export const ToServerProcess = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    /** Absolute path of the server library's entry (server/dist/index.js in the app). */
    serverModule: z.string().min(1),
    options: ServerLaunchOptionsSchema,
  }),
  z.object({ type: z.literal('stop') }),
]);
export type ToServerProcess = z.infer<typeof ToServerProcess>;

const Credential = z.object({ login: z.string(), password: z.string(), role: z.string() });

export const FromServerProcess = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    url: z.string(),
    port: z.number().int(),
    branchId: z.string(),
    firstStartCredentials: z.array(Credential),
  }),
  /** Start failed or the server crashed; the process exits right after. */
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('stopped') }),
]);
export type FromServerProcess = z.infer<typeof FromServerProcess>;
