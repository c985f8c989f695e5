// What the branch server serves besides its API: the built screens (kiosk, agent, display), the API docs page and
// the start page. Kept out of createBranchServer so that serving files can change without touching the wiring.
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';

const UI_APPS = ['kiosk', 'agent', 'display'] as const;

/** Swagger UI at /api/docs over the document at /api/openapi.json (one page for both servers). */
export { mountApiDocs } from '../../shared/http/docs.js';

/** The built screens under /kiosk, /agent and /display (single-page apps), and a start page at /. */
export function mountUis(app: express.Express, root: string): void {
  for (const name of UI_APPS) {
    const dist = path.join(root, `${name}-ui`, 'dist');
    app.use(`/${name}`, express.static(dist, { index: 'index.html', maxAge: '1h', setHeaders: (res, file) => { if (file.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache'); } }));
    app.get(`/${name}/{*rest}`, (_req, res) => {
      const index = path.join(dist, 'index.html');
      if (fs.existsSync(index)) res.setHeader('Cache-Control', 'no-cache').sendFile(index);
      else res.status(503).type('text').send(`The ${name} screen is not built yet: run "npm run build".`);
    });
  }
  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>SmartQueue</title></head>
<body style="font-family:sans-serif;font-size:1.4rem;margin:3rem"><h1>SmartQueue</h1><ul>
<li><a href="/kiosk/">Borne / Kiosk</a></li><li><a href="/agent/">Guichet / Counter</a></li>
<li><a href="/display/">Écran d'appel / Call board</a></li><li><a href="/api/docs">API</a></li></ul></body></html>`);
  });
}
