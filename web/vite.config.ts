/**
 * The web build: one multi-page Vite build rooted at web/, today the staff console (/console/); the party
 * portal joins as a second entry. Built into web/dist (console/index.html and the hashed assets/), which the
 * API serves (api/web.ts). `npm run web:build` runs it only when the sources changed; `npm run web:dev`
 * serves it with hot reload and passes the API's routes to the API (`npm run api`, port 3000 by default).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The API's own routes, passed through by the dev server (same origin in development too: no CORS). */
const API_ROUTES = ['/auth', '/applications', '/cases', '/queues', '/roster', '/me', '/supervision', '/integration', '/verify', '/openapi.json'];

/** Vendor code that changes less often than the app: its own long-cached chunks. */
const vendorChunks: { name: string; test: RegExp; priority: number }[] = [
  { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
  { name: 'query', test: /[\\/]node_modules[\\/]@tanstack[\\/]/, priority: 20 },
  { name: 'api-client', test: /[\\/]node_modules[\\/]openapi-fetch[\\/]/, priority: 20 },
];

/**
 * In development the page is web/console/index.html, which Vite (root web/, base /console/) would serve at
 * /console/console/: a page request for /console/ or one of the console's own routes (/console/cases/…) gets
 * it, as api/web.ts does for the built page.
 */
const consolePageInDev: Plugin = {
  name: 'console-page-in-dev',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      const url = req.url ?? '';
      if (req.method === 'GET' && req.headers.accept?.includes('text/html') && url.startsWith('/console/') && !url.startsWith('/console/console/')) req.url = '/console/console/index.html';
      next();
    });
  },
};

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react(), consolePageInDev],
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
      input: { console: `${root}console/index.html` },
      output: {
        // antd stays with the screens that use it, so the lazily loaded case screen brings its own components.
        codeSplitting: { groups: vendorChunks },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(API_ROUTES.map((route) => [route, { target: process.env.API_URL ?? 'http://127.0.0.1:3000' }])),
  },
});
