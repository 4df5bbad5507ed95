/**
 * 长辈版 (the elder mode): larger text with a line height of at least 1.3 (WCAG 2.1 SC 1.4.12 asks 1.5 of
 * the content; portal.css uses 1.6 in both modes) and a simpler one-column layout. It is a preference of the
 * device, not of the case, so it is remembered in localStorage: no personal data and no token, only "1".
 */
import { useCallback, useState } from 'react';

const KEY = 'portal.elderMode';

export function readElderMode(): boolean {
  try {
    return window.localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function applyElderMode(on: boolean): void {
  document.documentElement.classList.toggle('elder', on);
}

export function useElderMode(): [boolean, () => void] {
  const [on, setOn] = useState(readElderMode);
  const toggle = useCallback(() => {
    setOn((was) => {
      const next = !was;
      try {
        if (next) window.localStorage.setItem(KEY, '1');
        else window.localStorage.removeItem(KEY);
      } catch {
        // Storage refused (a private window): the switch still works for this visit.
      }
      applyElderMode(next);
      return next;
    });
  }, []);
  return [on, toggle];
}
