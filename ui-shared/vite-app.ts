// One Vite configuration shape for the three screens: each is served by the branch server under /<name>/.
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

export function defineScreenConfig(name: 'kiosk' | 'agent' | 'display', dir: string): UserConfig {
  return defineConfig({
    root: dir,
    base: `/${name}/`,
    plugins: [react()],
    publicDir: path.join(dir, 'public'),
    build: { outDir: path.join(dir, 'dist'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
    server: { proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true } } },
    logLevel: 'warn',
  });
}
