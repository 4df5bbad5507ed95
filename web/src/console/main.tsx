/** The staff console's entry: as little as the first screen needs; the case screens load on demand. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Console } from './Console';
import './console.css';

/** The nonce the server put into this page (absent under `npm run web:dev`, which sends no CSP). */
function cspNonce(): string | undefined {
  const value = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
  return value && value !== '__CSP_NONCE__' ? value : undefined;
}

const nonce = cspNonce();
if (nonce) stampStyleNonce(nonce);

/**
 * antd hands the nonce to its CSS-in-JS, but a few helpers of @rc-component (the scrollbar measure, a modal's
 * scroll lock) create their own <style> elements without it, and the CSP refuses them. Every <style> this
 * page's scripts create gets the page's nonce. Only scripts from this origin run here (script-src 'self'),
 * and they could read the nonce from the meta tag anyway; injected markup still gets no style through.
 */
function stampStyleNonce(value: string): void {
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
    const element = create.call(this, tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = value;
    return element;
  } as typeof Document.prototype.createElement;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Console nonce={nonce} />
  </StrictMode>,
);
