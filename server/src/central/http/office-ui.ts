// The head-office console (office-ui, built by Vite) under /office/, served like the branch's screens
// (precompressed, hashed assets immutable, index.html revalidated), and /favicon.ico. `/` stays free for the visitor site.
import type { Express } from 'express';
import path from 'node:path';
import { mountFavicon } from '../../shared/http/favicon.js';
import { mountBuiltScreen } from '../../shared/http/screens.js';

export function mountOfficeUi(app: Express, root: string): void {
  mountBuiltScreen(app, '/office', path.join(root, 'office-ui', 'dist'), 'The head-office console is not built yet: run "npm run build".');
  mountFavicon(app);
}
