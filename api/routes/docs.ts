/**
 * `/openapi.json` and a browsable page at `/docs/` that works offline: Swagger UI's files are served from
 * node_modules (swagger-ui-dist), never from a CDN, under a CSP that allows only this origin.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Router } from 'express';
import { openApiDocument } from '../openapi.js';

const require = createRequire(import.meta.url);
const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ALLOWED = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
]);

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>一站式非诉讼纠纷化解中心 · API</title>
<link rel="stylesheet" href="swagger-ui.css">
<link rel="icon" type="image/png" href="favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="swagger-ui-standalone-preset.js"></script>
<script src="init.js"></script>
</body>
</html>
`;

const INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '../openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    validatorUrl: null,
  });
};
`;

export function docsRouter(info: { version: string; serverUrl?: string }): Router {
  const router = Router();
  const document = openApiDocument(info);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  const page = Router();
  page.use((_req, res, next) => {
    // Only this origin: the page is usable with no network beyond the API itself.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    );
    next();
  });
  page.get('/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  page.get('/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  page.get('/:file', (req, res, next) => {
    const file = String(req.params.file);
    if (!ALLOWED.has(file)) return next();
    res.sendFile(path.join(swaggerDir, file), { maxAge: '1d' });
  });
  // The page's relative links need the trailing slash.
  router.use('/docs', (req, res, next) =>
    req.originalUrl === '/docs' ? res.redirect(301, '/docs/') : page(req, res, next),
  );
  return router;
}
