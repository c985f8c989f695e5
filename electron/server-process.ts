// Entry of the branch server process. In the packaged app the main process starts it with
// utilityProcess.fork (as Actual Budget runs its server) and talks over process.parentPort; under
// plain Node (development, tests) it is a child_process.fork child talking over process.send.
// It only loads the server library and calls createBranchServer: no Electron import, no logic.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ToServerProcess, type BranchServerLike, type FromServerProcess, type ServerModuleLike } from './server-protocol.js';

interface Channel {
  send(message: FromServerProcess): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function openChannel(): Channel {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike | null }).parentPort;
  if (parentPort) {
    return { send: (message) => parentPort.postMessage(message), onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)) };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('server-process: start me with utilityProcess.fork or child_process.fork (no parent channel)');
  return { send: (message) => void send(message), onMessage: (listener) => process.on('message', listener) };
}

const channel = openChannel();
let server: BranchServerLike | null = null;
let started = false;
let stopping = false;

/** Reports the error to the supervisor (which restarts us) and exits. */
function fail(error: unknown): void {
  console.error(`[smartqueue server process] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  try {
    channel.send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    // Leave the message a moment to reach the parent.
    setTimeout(() => process.exit(1), 100);
  }
}

process.on('uncaughtException', (error) => {
  fail(error);
});
process.on('unhandledRejection', (reason) => {
  fail(reason);
});

async function start(message: Extract<ToServerProcess, { type: 'start' }>): Promise<void> {
  const loaded = (await import(pathToFileURL(message.serverModule).href)) as Partial<ServerModuleLike>;
  if (typeof loaded.createBranchServer !== 'function') throw new Error(`${message.serverModule} does not export createBranchServer`);
  server = await loaded.createBranchServer(message.options);
  if (server.firstStartCredentials.length > 0) {
    // As the CLI does (server/src/branch/main.ts): the status window shows them too, but only while it runs.
    const lines = server.firstStartCredentials.map((c) => `${c.role}\t${c.login}\t${c.password}`);
    writeFileSync(join(message.options.dataDir, 'first-start-logins.txt'), `${lines.join('\n')}\n`, { mode: 0o600 });
  }
  channel.send({
    type: 'ready',
    url: server.url,
    port: server.port,
    branchId: server.branchId,
    firstStartCredentials: server.firstStartCredentials,
  });
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server?.close();
  channel.send({ type: 'stopped' });
  setTimeout(() => process.exit(0), 50);
}

channel.onMessage((raw) => {
  const message = ToServerProcess.safeParse(raw);
  if (!message.success) {
    console.error('[smartqueue server process] ignored an unknown message');
    return;
  }
  if (message.data.type === 'start') {
    if (started || stopping) return;
    started = true;
    start(message.data).catch(fail);
  } else {
    stop().catch(fail);
  }
});
