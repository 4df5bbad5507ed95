/**
 * The web front ends' files, served by the API on its own origin (no CORS; tokens never leave it): the staff
 * console mounted at `/console` and the party portal at `/portal`, one Vite build with shared hashed assets.
 * Each: the hashed assets with a year's cache, and for every other path the built index.html (the
 * console routes on the client), never cached, under a Content-Security-Policy whose style nonce is new for
 * each response. antd writes its styles at run time: the page hands the nonce to `ConfigProvider csp`
 * through a meta tag, so no inline style without it is applied and no inline script runs at all.
 *
 * Only middleware, no route layers: the console is not an API operation, so it stays out of the OpenAPI
 * document and out of the check that the document and the served routes match.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import express, { Router, type RequestHandler, type Response } from 'express';

export type WebOptions = {
  /** The Vite build's output (web/dist by default): console/index.html, portal/index.html and assets/. */
  distDir?: string;
};

/**
 * What the page may load: its own origin only, styles only from files or with this response's nonce. Frames
 * only blob: URLs the page made itself: a document's PDF, fetched with the session's token and previewed in
 * the case screen (a frame pointed at the API would carry no token); never another site.
 */
export const consoleCsp = (nonce: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; frame-src blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`;

/**
 * The portal's policy is the console's: its pages need no inline style at all, but the same nonce keeps one
 * policy to reason about (and a later antd screen in the portal works under it).
 */
export const portalCsp = consoleCsp;

/** Written into index.html by the build (web/<entry>/index.html), replaced per response. */
const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * The folder with the project's package.json above this module: the repository (api/web.ts under tsx) or
 * the image's app folder (dist/api/web.js), where web/dist is in both cases.
 */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const notBuilt = (chinese: string, english: string) => `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${chinese}尚未构建</title></head>
<body>
<main>
<h1>${chinese}尚未构建</h1>
<p>服务器上没有${chinese}的页面文件。请在项目目录运行 <code>npm run web:build</code>，然后刷新本页。</p>
<p>The ${english} has not been built: run <code>npm run web:build</code> in the project folder, then reload.</p>
</main>
</body>
</html>
`;

const ENTRIES = {
  console: { csp: consoleCsp, notBuilt: notBuilt('工作台', 'staff console') },
  portal: { csp: portalCsp, notBuilt: notBuilt('当事人服务', 'party portal') },
} as const;

/** Text assets worth compressing (images and fonts come compressed already). */
const COMPRESSIBLE: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/**
 * The text assets gzipped for browsers that take it: a phone on a slow network downloads a third of the bytes
 * (the bench's portal part measured 1.4 s less to a usable login on slow 4G). A hashed file never changes
 * under its name, so each is compressed once and kept; anything else goes on to express.static.
 */
function gzipped(dir: string): RequestHandler {
  const cache = new Map<string, Buffer>();
  return (req, res, next) => {
    const type = COMPRESSIBLE[path.extname(req.path)];
    if (!type || (req.method !== 'GET' && req.method !== 'HEAD') || !/\bgzip\b/.test(req.get('accept-encoding') ?? ''))
      return next();
    const file = path.join(dir, path.normalize(req.path));
    if (!file.startsWith(dir + path.sep) || path.basename(file).startsWith('.')) return next();
    let body = cache.get(file);
    if (!body) {
      try {
        body = gzipSync(readFileSync(file), { level: 9 });
      } catch {
        return next(); // not there: express.static answers, and the 404 after it
      }
      cache.set(file, body);
    }
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function securityHeaders(res: Response, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/** The staff console at /console. */
export const consoleRouter = (opts: WebOptions = {}): Router => webEntryRouter('console', opts);

/** The party portal at /portal (mobile first; issue 16). */
export const portalRouter = (opts: WebOptions = {}): Router => webEntryRouter('portal', opts);

function webEntryRouter(entry: keyof typeof ENTRIES, opts: WebOptions): Router {
  const dist = opts.distDir ?? path.join(projectRoot(), 'web', 'dist');
  const indexFile = path.join(dist, entry, 'index.html');
  const { csp, notBuilt: notBuiltPage } = ENTRIES[entry];
  // index.html read once per build: re-read when a new build replaces it while the server runs.
  let cached: { mtimeMs: number; html: string } | undefined;
  const indexHtml = (): string | undefined => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(indexFile).mtimeMs;
    } catch {
      return undefined;
    }
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(indexFile, 'utf8') };
    return cached.html;
  };

  const router = Router();
  router.use((req, res, next) => {
    // Relative links and the client's router both expect the trailing slash.
    const [pathname, query] = req.originalUrl.split('?', 2) as [string, string | undefined];
    if (pathname === `/${entry}`) return res.redirect(301, `/${entry}/${query === undefined ? '' : `?${query}`}`);
    securityHeaders(res, "default-src 'none'; frame-ancestors 'none'");
    next();
  });
  // Hashed names: a file's content never changes under its name, so browsers keep it a year.
  router.use(
    '/assets',
    gzipped(path.join(dist, 'assets')),
    express.static(path.join(dist, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      redirect: false,
      dotfiles: 'ignore',
    }),
    (_req, res) => {
      // A missing asset is a 404, never the page (a script answered with HTML fails obscurely).
      res.status(404).type('text/plain').send('not found\n');
    },
  );
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const html = indexHtml();
    res.setHeader('Cache-Control', 'no-store');
    if (html === undefined) {
      res.status(503).type('html').send(notBuiltPage);
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    securityHeaders(res, csp(nonce));
    res.type('html').send(html.replace(NONCE_PLACEHOLDER, nonce));
  });
  return router;
}
