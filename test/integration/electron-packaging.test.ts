// Checks build/electron-builder.config.cjs against the repository, without running a packaging
// build (which downloads Electron): the config is valid for electron-builder, every file the app
// loads at run time is shipped and is produced by a script that `npm run dist` runs, better-sqlite3
// is rebuilt and unpacked, the targets and icons are right, and the compiled shell is loadable
// (a sandboxed preload may only require 'electron').
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateSync } from 'node:zlib';
import type { Configuration } from 'electron-builder';
import ts from 'typescript';
import { resolveConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appPaths, LOCAL_PAGES } from '../../electron/app-paths.js';
import { drawIcon, encodePng, ICON_SIZES } from '../../build/make-icons.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const CONFIG_FILE = join(root, 'build', 'electron-builder.config.cjs');
const config = require(CONFIG_FILE) as Configuration;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  type: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
const paths = appPaths(root);

/** Repository-relative, forward slashes (how electron-builder patterns are written). */
const rel = (file: string): string => relative(root, file).split(sep).join('/');

// electron-builder's own matcher (minimatch with dot: true), resolved from electron-builder's side.
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const { minimatch } = builderRequire('minimatch') as { minimatch: (path: string, pattern: string, options: { dot: boolean }) => boolean };
function matchesAny(file: string, patterns: readonly string[]): boolean {
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return positive.some((p) => minimatch(file, p, { dot: true })) && !negative.some((p) => minimatch(file, p, { dot: true }));
}

const filePatterns = (config.files ?? []) as string[];
const asarUnpack = ([] as string[]).concat((config.asarUnpack ?? []) as string[] | string);

// ---- what `npm run dist` builds, read from package.json scripts ------------------------------

/** Scripts `npm run <name>` runs, recursively, in order. */
function scriptChain(name: string, seen = new Set<string>()): string[] {
  const command = pkg.scripts[name];
  if (command === undefined || seen.has(name)) return [];
  seen.add(name);
  return [command, ...[...command.matchAll(/npm run ([\w:-]+)/g)].flatMap((m) => scriptChain(m[1] as string, seen))];
}

function parsedTsConfig(file: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error(`cannot read ${file}`);
  return parsed;
}

interface BuildOutput {
  script: string;
  /** Repository-relative output folder. */
  outDir: string;
  /** Files it will write (relative), when known without building. */
  files: string[];
}

async function distOutputs(): Promise<BuildOutput[]> {
  const outputs: BuildOutput[] = [];
  for (const command of scriptChain('dist')) {
    for (const [, project] of command.matchAll(/\btsc -p (\S+)/g)) {
      const parsed = parsedTsConfig(join(root, project as string));
      const files = parsed.fileNames.flatMap((f) => ts.getOutputFileNames(parsed, f, false)).filter((f) => /\.(c|m)?js$/.test(f));
      outputs.push({ script: `tsc -p ${project}`, outDir: rel(parsed.options.outDir as string), files: files.map(rel) });
    }
    for (const [, viteConfig] of command.matchAll(/\bvite build --config (\S+)/g)) {
      const resolved = await resolveConfig({ configFile: join(root, viteConfig as string), logLevel: 'silent', mode: 'production' }, 'build');
      const outDir = rel(resolve(resolved.root, resolved.build.outDir));
      // A Vite build writes index.html and hashed chunks under assets/.
      outputs.push({ script: `vite build --config ${viteConfig}`, outDir, files: [`${outDir}/index.html`, `${outDir}/${resolved.build.assetsDir}/index-0000.js`] });
    }
  }
  return outputs;
}

let outputs: BuildOutput[] = [];
beforeAll(async () => {
  outputs = await distOutputs();
});

describe('electron-builder configuration', () => {
  it('is accepted by electron-builder', async () => {
    const { validateConfiguration } = builderRequire('./out/util/config/config.js') as { validateConfiguration: (c: Configuration, logger: unknown) => Promise<void> };
    const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('starts the desktop shell, while package.json main stays the server library', () => {
    expect(pkg.main).toBe('server/dist/index.js');
    expect((config.extraMetadata as { main?: string }).main).toBe(rel(paths.main));
  });

  it('builds the Windows NSIS installer and the Linux AppImage and .deb', () => {
    const targets = (list: unknown): string[] => ([] as unknown[]).concat(list ?? []).map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
    expect(targets(config.win?.target)).toContain('nsis');
    expect(targets(config.linux?.target)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    // The .deb needs a maintainer.
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
  });

  it('rebuilds better-sqlite3 for Electron and keeps it out of the asar', () => {
    expect(pkg.dependencies).toHaveProperty('better-sqlite3');
    expect(config.npmRebuild).not.toBe(false);
    expect(config.asar).not.toBe(false);
    const nativeFiles = readdirSync(join(root, 'node_modules', 'better-sqlite3'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.node'))
      .map((f) => `node_modules/better-sqlite3/${f.split(sep).join('/')}`);
    expect(nativeFiles.length).toBeGreaterThan(0);
    for (const file of [...nativeFiles, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node']) expect(matchesAny(file, asarUnpack), file).toBe(true);
  });
});

describe('files shipped in the app', () => {
  it('come from the repository or from a build step of npm run dist', () => {
    for (const pattern of filePatterns.filter((p) => !p.startsWith('!'))) {
      const base = pattern.split('/').filter((_, i, parts) => !parts.slice(0, i + 1).some((s) => /[*?{[]/.test(s))).join('/');
      const builtBy = outputs.find((o) => base === o.outDir || base.startsWith(`${o.outDir}/`));
      const inRepo = existsSync(join(root, base)) && !/(^|\/)dist(\/|$)/.test(base);
      expect(builtBy !== undefined || inRepo, `${pattern}: neither in the repository nor written by a script of "npm run dist" (${scriptChain('dist').join(' → ')})`).toBe(true);
    }
  });

  it('include the compiled shell, and "npm run dist" compiles it', () => {
    const shell = outputs.find((o) => o.outDir === rel(paths.distDir));
    expect(shell, `no script of "npm run dist" runs tsc -p electron/tsconfig.json (add "build:electron" and run it from "dist"); dist runs: ${scriptChain('dist').join(' → ')}`).toBeDefined();
    for (const file of [paths.main, paths.preload, paths.serverEntry].map(rel)) {
      expect(shell?.files, file).toContain(file);
      expect(matchesAny(file, filePatterns), file).toBe(true);
    }
    for (const file of shell?.files ?? []) expect(matchesAny(file, filePatterns), file).toBe(true);
  });

  it('include the server library and the three screens as built', () => {
    expect(outputs.map((o) => o.outDir)).toEqual(expect.arrayContaining(['server/dist', 'kiosk-ui/dist', 'agent-ui/dist', 'display-ui/dist']));
    const server = outputs.find((o) => o.outDir === 'server/dist');
    expect(server?.files).toContain(rel(paths.serverModule));
    for (const output of outputs) {
      for (const file of output.files) expect(matchesAny(file, filePatterns), `${file} (from ${output.script})`).toBe(true);
    }
  });

  it('include the local pages, their scripts and the icon the shell loads', () => {
    const staticFiles = readdirSync(paths.staticDir).map((f) => rel(join(paths.staticDir, f)));
    expect(staticFiles).toEqual(expect.arrayContaining(LOCAL_PAGES.map((p) => `electron/static/${p}.html`)));
    for (const file of [...staticFiles, rel(paths.icon), 'package.json']) {
      expect(existsSync(join(root, file)), file).toBe(true);
      expect(matchesAny(file, filePatterns), file).toBe(true);
    }
  });

  it('leave out sources, tests and source maps', () => {
    for (const file of ['electron/main.ts', 'electron/config.test.ts', 'server/src/index.ts', 'server/dist/index.js.map', 'electron/dist/main.js.map', 'kiosk-ui/src/main.tsx', 'test/integration/electron-packaging.test.ts']) {
      expect(matchesAny(file, filePatterns), file).toBe(false);
    }
  });
});

describe('icons', () => {
  function readPng(file: string): { width: number; height: number } {
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    let offset = 8;
    const idat: Buffer[] = [];
    let header: Buffer | null = null;
    let ended = false;
    while (offset < bytes.length) {
      const length = bytes.readUInt32BE(offset);
      const type = bytes.toString('ascii', offset + 4, offset + 8);
      const data = bytes.subarray(offset + 8, offset + 8 + length);
      expect(bytes.readUInt32BE(offset + 8 + length), `${file}: CRC of ${type}`).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)));
      if (type === 'IHDR') header = Buffer.from(data);
      if (type === 'IDAT') idat.push(data);
      if (type === 'IEND') ended = true;
      offset += 12 + length;
    }
    expect(ended && header !== null).toBe(true);
    const width = (header as Buffer).readUInt32BE(0);
    const height = (header as Buffer).readUInt32BE(4);
    expect([...(header as Buffer).subarray(8)]).toEqual([8, 6, 0, 0, 0]); // 8-bit RGBA, not interlaced
    const raw = inflateSync(Buffer.concat(idat));
    expect(raw.length).toBe(height * (1 + width * 4));
    return { width, height };
  }

  it.each(ICON_SIZES.map((size) => [`${size}x${size}`, size] as const))('build/icons/%s.png is a valid PNG of its size, as build/make-icons.ts draws it', (_name, size) => {
    const file = join(root, 'build', 'icons', `${size}x${size}.png`);
    expect(readPng(file)).toEqual({ width: size, height: size });
    expect(readFileSync(file).equals(encodePng(size, size, drawIcon(size))), 'icons are stale: npx tsx build/make-icons.ts').toBe(true);
  });

  it('are the ones the targets use (Windows needs at least 256×256)', () => {
    const winIcon = join(root, config.win?.icon as string);
    expect(readPng(winIcon).width).toBeGreaterThanOrEqual(256);
    const linuxIcons = readdirSync(join(root, config.linux?.icon as string));
    expect(linuxIcons).toEqual(expect.arrayContaining(ICON_SIZES.map((s) => `${s}x${s}.png`)));
    expect(statSync(paths.icon).size).toBeGreaterThan(0);
  });
});

describe('compiled shell', () => {
  let outDir = '';
  let emitted = new Map<string, string>();
  beforeAll(() => {
    // Compile electron/tsconfig.json into a temporary folder: same layout, no change to the checkout.
    outDir = mkdtempSync(join(tmpdir(), 'sq-electron-build-'));
    const parsed = parsedTsConfig(join(root, 'electron', 'tsconfig.json'));
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, outDir, sourceMap: false } });
    const result = program.emit();
    const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics).filter((d) => d.category === ts.DiagnosticCategory.Error);
    expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    emitted = new Map(readdirSync(outDir).map((f) => [f, readFileSync(join(outDir, f), 'utf8')]));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const specifiers = (code: string): string[] =>
    [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);

  it('has a CommonJS preload that requires nothing but electron (sandboxed preloads cannot)', () => {
    const preload = emitted.get('preload.cjs');
    expect(preload).toBeDefined();
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(specifiers(preload as string)).toEqual(['electron']);
  });

  it('has ES module entries whose imports resolve in the packaged app', () => {
    expect(pkg.type).toBe('module');
    for (const entry of ['main.js', 'server-process.js']) expect(emitted.has(entry), entry).toBe(true);
    for (const [file, code] of emitted) {
      if (!file.endsWith('.js')) continue;
      for (const specifier of specifiers(code)) {
        if (specifier.startsWith('./')) expect(emitted.has(specifier.slice(2)), `${file} imports ${specifier}`).toBe(true);
        else if (!specifier.startsWith('node:') && specifier !== 'electron') {
          // Only production dependencies are packaged.
          expect(Object.keys(pkg.dependencies), `${file} imports ${specifier}`).toContain(specifier.split('/')[0]);
        }
      }
    }
  });
});
