/**
 * One Idempotency-Key per intent (api/idempotency.ts): kept while the same body is sent again (a retry replays the
 * first answer), a new one once the person changes what they send; `reset` after a success starts a new intent.
 */
import { useRef } from 'react';
import { idempotencyKey } from '../api/client';

export function useKeyPerBody(): { keyFor: (body: unknown) => string; reset: () => void } {
  const sent = useRef<{ key: string; body: string }>({ key: idempotencyKey(), body: '' });
  return {
    keyFor: (body) => {
      const text = JSON.stringify(body);
      if (sent.current.body !== '' && sent.current.body !== text) sent.current.key = idempotencyKey();
      sent.current.body = text;
      return sent.current.key;
    },
    reset: () => {
      sent.current = { key: idempotencyKey(), body: '' };
    },
  };
}
