// The head-office console (office-ui, built by Vite) under /office/. `/` stays free for the visitor site.
import express, { type Express } from 'express';
import fs from 'node:fs';
import path from 'node:path';

export function mountOfficeUi(app: Express, root: string): void {
  const dist = path.join(root, 'office-ui', 'dist');
  // Hashed asset names: cached for good; index.html always checked.
  app.use('/office/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  app.get(['/office', '/office/{*rest}'], (_req, res) => {
    const index = path.join(dist, 'index.html');
    if (fs.existsSync(index)) res.setHeader('Cache-Control', 'no-cache').sendFile(index);
    else res.status(503).type('text').send('The head-office console is not built yet: run "npm run build".');
  });
}
