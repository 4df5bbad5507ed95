/**
 * The party portal's entry (当事人服务, mobile first). No antd here: plain React with the project's own styles,
 * so the first screen on a cheap phone stays small (issue 16: at most 150 kB of gzipped JavaScript, reported by
 * `npm run web:build`). The 长辈版 preference is applied before the first paint, so the page never jumps.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyElderMode, readElderMode } from './elder';
import { Portal } from './Portal';
import './portal.css';

applyElderMode(readElderMode());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Portal />
  </StrictMode>,
);
