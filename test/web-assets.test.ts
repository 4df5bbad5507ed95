/**
 * The web front ends' assets as a phone receives them (api/web.ts): scripts and styles gzipped when the browser
 * takes gzip (the bench's portal part: a third of the bytes on slow 4G), byte for byte the built file once
 * unpacked, cached a year under their hashed names; images as they are; nothing outside the assets folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalRouter } from '../api/web.js';

let dist: string;
let server: Server;
let base: string;
const script = `export const greeting = ${JSON.stringify('您好，'.repeat(2000))};\n`;

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'web-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  mkdirSync(path.join(dist, 'portal'));
  writeFileSync(path.join(dist, 'assets', 'portal-abc123.js'), script);
  writeFileSync(path.join(dist, 'assets', 'logo-abc123.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(path.join(dist, 'portal', 'index.html'), '<!doctype html><title>portal</title>');
  writeFileSync(path.join(dist, 'secret.js'), 'SECRET-OUTSIDE-ASSETS');
  const app = express().use('/portal', portalRouter({ distDir: dist }));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dist, { recursive: true, force: true });
});

/** The answer as the wire carries it (fetch would unpack gzip itself). */
function raw(
  url: string,
  encoding: string | undefined,
): Promise<{ res: { status: number; headers: Map<string, string> }; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const headers = new Map(Object.entries(answer.headers).map(([k, v]) => [k, String(v)]));
          resolve({ res: { status: answer.statusCode ?? 0, headers }, bytes: Buffer.concat(chunks) });
        });
      })
      .on('error', reject);
  });
}

describe('assets on the wire', () => {
  it('when a browser takes gzip, then a script comes gzipped and unpacks to the built file, cached a year', async () => {
    const { res, bytes } = await raw(`${base}/portal/assets/portal-abc123.js`, 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('content-type')).toContain('javascript');
    const unpacked = gunzipSync(bytes).toString('utf8');
    expect(unpacked).toBe(script);
    expect(bytes.length).toBeLessThan(Buffer.byteLength(script) / 3);
  });

  it('when a client does not take gzip, or the file is an image, then it comes as it is', async () => {
    const plain = await raw(`${base}/portal/assets/portal-abc123.js`, 'identity');
    expect(plain.res.headers.get('content-encoding')).toBeUndefined();
    expect(plain.bytes.toString('utf8')).toBe(script);
    const image = await raw(`${base}/portal/assets/logo-abc123.png`, 'gzip');
    expect(image.res.headers.get('content-encoding')).toBeUndefined();
    expect([...image.bytes]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('when a path leaves the assets folder or names no file, then it is a 404, never a file or the page', async () => {
    for (const p of ['/portal/assets/..%2Fsecret.js', '/portal/assets/missing-000.js']) {
      const { res, bytes } = await raw(`${base}${p}`, 'gzip');
      expect([p, res.status]).toEqual([p, 404]);
      expect(bytes.toString()).not.toContain('SECRET');
    }
  });
});
