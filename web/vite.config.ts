/**
 * The web build: one multi-page Vite build rooted at web/ with two entries, the staff console (/console/) and
 * the party portal (/portal/). Built into web/dist (console/index.html, portal/index.html and the hashed
 * assets/ both share), which the API serves (api/web.ts) under each entry's own path. `npm run web:build`
 * runs it only when the sources changed; `npm run web:dev` serves both pages with hot reload and passes the
 * API's routes to the API (`npm run api`, port 3000 by default).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The API's own routes, passed through by the dev server (same origin in development too: no CORS). */
const API_ROUTES = [
  '/auth',
  '/applications',
  '/cases',
  '/queues',
  '/roster',
  '/me',
  '/supervision',
  '/statistics',
  '/complaints',
  '/ratings',
  '/rating-follow-ups',
  '/rating-links',
  '/rating-callbacks',
  '/credit',
  '/directory',
  '/integration',
  '/verify',
  '/openapi.json',
];

/** Vendor code that changes less often than the app: its own long-cached chunks. */
const vendorChunks: { name: string; test: RegExp; priority: number }[] = [
  { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
  { name: 'query', test: /[\\/]node_modules[\\/]@tanstack[\\/]/, priority: 20 },
  { name: 'api-client', test: /[\\/]node_modules[\\/]openapi-fetch[\\/]/, priority: 20 },
];

/** The two entries: each page is web/<entry>/index.html and is served at /<entry>/. */
const ENTRIES = ['console', 'portal'] as const;

/**
 * In development (base /, root web/) each page is web/<entry>/index.html: a page request for /<entry>/ or one
 * of its own client routes (/console/cases/…, /portal/cases/…) gets it, as api/web.ts does for the built pages.
 */
const pagesInDev: Plugin = {
  name: 'pages-in-dev',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      const url = req.url ?? '';
      const entry = ENTRIES.find((e) => url === `/${e}` || url.startsWith(`/${e}/`));
      if (entry && req.method === 'GET' && req.headers.accept?.includes('text/html')) req.url = `/${entry}/index.html`;
      next();
    });
  },
};

/**
 * One build, two base paths: the assets are shared (web/dist/assets), and each page names them under its own
 * path (/console/assets/…, /portal/assets/…), which api/web.ts serves from the same folder. Scripts and styles
 * find the chunks they load relative to themselves, so a chunk shared by both works under either path.
 */
function builtUrl(
  fileName: string,
  { hostType, hostId }: { hostType: 'js' | 'css' | 'html'; hostId: string },
): string | { relative: true } {
  if (hostType !== 'html') return { relative: true };
  const entry = ENTRIES.find((e) => hostId.replace(/\\/g, '/').startsWith(`${e}/`)) ?? 'console';
  return `/${entry}/${fileName}`;
}

export default defineConfig(({ command }) => ({
  root,
  base: command === 'build' ? '/console/' : '/',
  plugins: [react(), pagesInDev],
  experimental: { renderBuiltUrl: builtUrl },
  // Vite's own public/ folder is not used: everything is imported, so everything is hashed.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The console targets current evergreen browsers (a government office's Chromium-based ones included).
    target: 'es2022',
    // The size to watch is the first screen's (reported by `npm run web:build`), not one limit for every chunk.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: Object.fromEntries(ENTRIES.map((e) => [e, `${root}${e}/index.html`])),
      output: {
        // antd stays with the screens that use it, so the lazily loaded case screen brings its own components.
        codeSplitting: { groups: vendorChunks },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      API_ROUTES.map((route) => [route, { target: process.env.API_URL ?? 'http://127.0.0.1:3000' }]),
    ),
  },
}));
