// Run a TypeScript entry in a child Node process (through tsx) and read its first JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface Child<T> { process: ChildProcess; info: T; stderr: () => string }

export async function startChild<T>(entry: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Child<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(entry)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child ${entry} did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    lines.once('line', (line) => { clearTimeout(timer); resolve(JSON.parse(line) as T); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`child ${entry} exited with ${code}: ${stderr}`)); });
  });
  return { process: child, info, stderr: () => stderr };
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
