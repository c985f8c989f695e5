// One Vite configuration shape for the screens: each is served under /<name>/ (kiosk, agent and display by the
// branch server, office by central).
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

export function defineScreenConfig(name: 'kiosk' | 'agent' | 'display' | 'office', dir: string): UserConfig {
  const server = name === 'office' ? 'http://127.0.0.1:4000' : 'http://127.0.0.1:3000';
  return defineConfig({
    root: dir,
    base: `/${name}/`,
    plugins: [react()],
    publicDir: path.join(dir, 'public'),
    build: { outDir: path.join(dir, 'dist'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
    server: { proxy: { '/api': server, '/socket.io': { target: server.replace('http', 'ws'), ws: true } } },
    logLevel: 'warn',
  });
}
