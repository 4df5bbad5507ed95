/**
 * Screen-reader support shared by the screens: a polite live region for what happened (a case accepted, a
 * list loaded), and a page heading that names the page in the title bar and takes focus after a navigation,
 * so a screen-reader user hears where they arrived.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

let speak: ((text: string) => void) | undefined;

/** Says `text` to screen readers without moving focus. */
export function announce(text: string): void {
  speak?.(text);
}

export function Announcer() {
  const [text, setText] = useState('');
  useEffect(() => {
    speak = (next) => {
      // Cleared first, so the same sentence twice is read twice.
      setText('');
      window.setTimeout(() => setText(next), 50);
    };
    return () => {
      speak = undefined;
    };
  }, []);
  return (
    <div className="sr-only" aria-live="polite" aria-atomic="true">
      {text}
    </div>
  );
}

let firstPage = true;

export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · 一站式非诉讼纠纷化解中心`;
    // On the first page the browser's own focus is right; after a navigation, start reading at the heading.
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children ?? title}
    </h1>
  );
}
