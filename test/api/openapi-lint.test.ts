// Both API documents, as the real servers serve them, pass the linters an integrator would run first:
// `redocly lint` (recommended rules, redocly.yaml) and Spectral's spectral:oas ruleset (.spectral.yaml), 0 errors.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, startSyncedBranch, type SyncedBranch, type TestCentral } from '../support/central.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);
// No telemetry and no update check: the linters run offline, as in CI.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1' };

interface Problem { rule: string; severity: 'error' | 'warning'; where: string; message: string }

/** The linters exit non-zero when they find errors: their JSON report is what counts. */
async function output(cmd: string, args: string[]): Promise<string> {
  try {
    return (await run(cmd, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (err) {
    const stdout = (err as { stdout?: string }).stdout;
    if (stdout) return stdout;
    throw err;
  }
}

async function redocly(file: string): Promise<Problem[]> {
  const report = JSON.parse(await output(bin('redocly'), ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format=json'])) as {
    problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
  };
  return report.problems.map((p) => ({ rule: p.ruleId, severity: p.severity === 'error' ? 'error' : 'warning', where: p.location[0]?.pointer ?? '', message: p.message }));
}

async function spectral(file: string): Promise<Problem[]> {
  const report = JSON.parse(await output(bin('spectral'), ['lint', file, '--ruleset', path.join(ROOT, '.spectral.yaml'), '--format', 'json', '--quiet'])) as {
    code: string; severity: number; message: string; path: string[];
  }[];
  return report.map((p) => ({ rule: p.code, severity: p.severity === 0 ? 'error' : 'warning', where: p.path.join('.'), message: p.message }));
}

describe('OpenAPI documents pass redocly and Spectral', () => {
  let central: TestCentral;
  let branch: SyncedBranch;
  let dir: string;
  const docs: Record<string, string> = {};

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-openapi-'));
    central = await startCentral('sqlite');
    // A branch connected to central: it has every route (the sync ones too).
    branch = await startSyncedBranch(central);
    for (const [name, url] of [['central', central.url], ['branch', branch.url]] as const) {
      const res = await fetch(`${url}/api/openapi.json`);
      expect(res.status).toBe(200);
      docs[name] = path.join(dir, `${name}.json`);
      fs.writeFileSync(docs[name], await res.text());
    }
  });
  afterAll(async () => {
    await branch?.destroy();
    await central?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const name of ['branch', 'central']) {
    for (const [linter, lint] of [['redocly', redocly], ['spectral', spectral]] as const) {
      it(`${name}: ${linter} finds no error`, async () => {
        const problems = await lint(docs[name] as string);
        const errors = problems.filter((p) => p.severity === 'error');
        const warnings = problems.filter((p) => p.severity === 'warning');
        if (warnings.length) console.info(`${name} ${linter}: ${warnings.length} warnings (${[...new Set(warnings.map((w) => w.rule))].join(', ')})`);
        expect(errors.map((e) => `${e.rule} at ${e.where}: ${e.message}`)).toEqual([]);
      });
    }
  }
});
