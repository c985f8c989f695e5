// Where the shell finds its parts, relative to the app root (the repository in development,
// resources/app.asar when installed). One list, so the packaging test can check that
// build/electron-builder.config.cjs ships every one of them.
import { join } from 'node:path';

export interface AppPaths {
  /** Compiled shell (electron/tsconfig.json outDir). */
  distDir: string;
  /** electron/dist/main.js: the app's entry (extraMetadata.main in the builder config). */
  main: string;
  /** Sandboxed preload, CommonJS. */
  preload: string;
  /** Entry of the branch server process. */
  serverEntry: string;
  /** The server library (npm run build:server). */
  serverModule: string;
  /** Local HTML pages. */
  staticDir: string;
  icon: string;
}

export const LOCAL_PAGES = ['setup', 'status', 'pin', 'offline'] as const;

export function appPaths(appRoot: string): AppPaths {
  const distDir = join(appRoot, 'electron', 'dist');
  return {
    distDir,
    main: join(distDir, 'main.js'),
    preload: join(distDir, 'preload.cjs'),
    serverEntry: join(distDir, 'server-process.js'),
    serverModule: join(appRoot, 'server', 'dist', 'index.js'),
    staticDir: join(appRoot, 'electron', 'static'),
    icon: join(appRoot, 'build', 'icons', '256x256.png'),
  };
}
