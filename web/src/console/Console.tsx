/**
 * The console's first screen: antd in Chinese with the accessible theme and the page's CSP nonce, server state
 * in TanStack Query, and the login form. Everything a signed-in person uses (the queue, the case screens, the
 * router) loads after the login, so the first screen carries only what a login form needs. Until someone signs
 * in, every URL shows the login form; after it, the URL they asked for (a colleague's case link) opens.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useState } from 'react';
import { ApiError } from '../api/problems';
import { Announcer } from './a11y';
import { LoginPage } from './pages/LoginPage';
import { SessionProvider, useSession } from './session';
import { consoleTheme } from './theme';

const SignedIn = lazy(() => import('./SignedIn'));

function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal (4xx) will not change by asking again; a lost connection or a 503 may.
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
    },
  });
}

/**
 * A person who asked their system for less motion (WCAG 2.3.3) gets no fades or slides: dialogs appear at
 * full contrast at once (a fading dialog is also what a screen reader or a test may read half-drawn).
 */
const reducedMotion =
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
const theme = reducedMotion ? { ...consoleTheme, token: { ...consoleTheme.token, motion: false } } : consoleTheme;

export function Console({ nonce }: { nonce: string | undefined }) {
  const [queryClient] = useState(newQueryClient);
  return (
    <ConfigProvider
      locale={zhCN}
      theme={theme}
      form={{ colon: false }}
      // antd would write 受理 as "受 理": the accessible name and a search for the word would no longer match.
      button={{ autoInsertSpace: false }}
      {...(nonce ? { csp: { nonce } } : {})}
    >
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <Screens />
          <Announcer />
        </SessionProvider>
      </QueryClientProvider>
    </ConfigProvider>
  );
}

function Screens() {
  const { principal } = useSession();
  if (!principal) return <LoginPage />;
  return (
    <Suspense fallback={<Spin fullscreen description="正在加载工作台…" />}>
      <SignedIn />
    </Suspense>
  );
}
