// The reading page of a server's API document, the same for both servers: Swagger UI at /api/docs over
// /api/openapi.json, served from the swagger-ui-dist package (nothing from the internet).
import express, { type Express } from 'express';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function mountApiDocs(app: Express, title = 'SmartQueue API'): void {
  const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  app.use('/api/docs/assets', express.static(swaggerDir, { index: false }));
  app.get('/api/docs', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head><body><div id="docs"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/swagger-init.js"></script></body></html>`);
  });
  app.get('/api/docs/assets/swagger-init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs' });");
  });
}
