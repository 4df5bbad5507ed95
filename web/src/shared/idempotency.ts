/**
 * One Idempotency-Key per intent (api/idempotency.ts): kept while the same body is sent again (a retry replays the
 * first answer), a new one once the person changes what they send; `reset` after a success starts a new intent, and
 * `afterError` after a refusal the API kept (a 4xx other than "still being processed"), so pressing again with the
 * same body asks again instead of replaying the refusal. A network failure or a 5xx keeps the key for the retry.
 */
import { useRef } from 'react';
import { idempotencyKey } from '../api/client';
import { ApiError } from '../api/problems';

export function useKeyPerBody(): {
  keyFor: (body: unknown) => string;
  reset: () => void;
  afterError: (error: unknown) => void;
} {
  const sent = useRef<{ key: string; body: string }>({ key: idempotencyKey(), body: '' });
  const reset = () => {
    sent.current = { key: idempotencyKey(), body: '' };
  };
  return {
    keyFor: (body) => {
      const text = JSON.stringify(body);
      if (sent.current.body !== '' && sent.current.body !== text) sent.current.key = idempotencyKey();
      sent.current.body = text;
      return sent.current.key;
    },
    reset,
    afterError: (error) => {
      if (!(error instanceof ApiError) || error.status < 400 || error.status >= 500) return;
      if (error.problem?.type === '/problems/idempotency-key-in-progress') return;
      reset();
    },
  };
}
