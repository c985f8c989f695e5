// One Vite configuration shape for the screens: each is served under /<name>/ (kiosk, agent and display by the
// branch server, office by central).
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

// Text files worth compressing; images and voices are already compressed.
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|ico|txt|map)$/;

/**
 * Precompressed copies next to each built text file (`x.js.br`, `x.js.gz`), made once at build time at the highest
 * levels, so that the servers send them without compressing on each request (server/src/shared/http/screens.ts).
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'smartqueue-precompress',
    apply: 'build',
    configResolved(config) { outDir = path.resolve(config.root, config.build.outDir); },
    closeBundle() {
      const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.test(file)) continue;
        const body = fs.readFileSync(file);
        if (body.length < 512) continue; // headers would cost more than the saving
        fs.writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
        fs.writeFileSync(`${file}.br`, brotliCompressSync(body, {
          params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
        }));
      }
    },
  };
}

export function defineScreenConfig(name: 'kiosk' | 'agent' | 'display' | 'office', dir: string): UserConfig {
  const server = name === 'office' ? 'http://127.0.0.1:4000' : 'http://127.0.0.1:3000';
  return defineConfig({
    root: dir,
    base: `/${name}/`,
    plugins: [react(), precompress()],
    publicDir: path.join(dir, 'public'),
    build: { outDir: path.join(dir, 'dist'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
    server: { proxy: { '/api': server, '/socket.io': { target: server.replace('http', 'ws'), ws: true } } },
    logLevel: 'warn',
  });
}
