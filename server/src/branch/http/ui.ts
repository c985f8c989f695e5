// What the branch server serves besides its API: the built screens (kiosk, agent, display), the API docs page,
// the favicon and the start page. Kept out of createBranchServer so that serving files can change without touching
// the wiring.
import type express from 'express';
import path from 'node:path';
import { mountFavicon } from '../../shared/http/favicon.js';
import { mountBuiltScreen } from '../../shared/http/screens.js';

const UI_APPS = ['kiosk', 'agent', 'display'] as const;

/** Swagger UI at /api/docs over the document at /api/openapi.json (one page for both servers). */
export { mountApiDocs } from '../../shared/http/docs.js';

/** The built screens under /kiosk, /agent and /display (single-page apps), /favicon.ico and a start page at /. */
export function mountUis(app: express.Express, root: string): void {
  for (const name of UI_APPS) {
    mountBuiltScreen(app, `/${name}`, path.join(root, `${name}-ui`, 'dist'), `The ${name} screen is not built yet: run "npm run build".`);
  }
  mountFavicon(app);
  // The staff app's Administration section (issue 16).
  app.get(['/admin', '/admin/'], (_req, res) => res.redirect(302, '/agent/#admin'));
  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>SmartQueue</title><link rel="icon" href="/favicon.ico"></head>
<body style="font-family:sans-serif;font-size:1.4rem;margin:3rem"><h1>SmartQueue</h1><ul>
<li><a href="/kiosk/">Borne / Kiosk</a></li><li><a href="/agent/">Guichet / Counter</a></li>
<li><a href="/display/">Écran d'appel / Call board</a></li><li><a href="/admin/">Administration</a></li><li><a href="/api/docs">API</a></li></ul></body></html>`);
  });
}
