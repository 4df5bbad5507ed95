/**
 * The party's session: access code, then the SMS code (POST /auth/party/challenge, /auth/party/verify). The
 * token stays in api/client.ts's memory only: a reload or a closed tab ends the session. When the server
 * refuses the token (the session's configured minutes are over), the party is back at the login with a
 * sentence saying why, not a silent empty screen.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ok, onSessionExpired, setToken, type Principal } from '../api/client';

export type Challenge = { challengeId: string; sentTo: string; expiresAt: string };

type PartySession = {
  principal: Principal | null;
  /** Why the last session ended, when it ended by itself. */
  ended: string | null;
  challenge(accessCode: string): Promise<Challenge>;
  verify(challengeId: string, code: string): Promise<void>;
  /**
   * A session the API handed out another way: an online application proves the phone with the SMS code and
   * answers with the applicant's session (POST /applications), so the new party is signed in at once.
   */
  adopt(token: string, expiresAt: string): Promise<void>;
  logout(): Promise<void>;
};

const SessionContext = createContext<PartySession | null>(null);

export function useSession(): PartySession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export const SESSION_ENDED = '您的登录已超时，为保护您的信息已自动退出。请重新输入查询码和短信验证码登录。';

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [expiresAt, setExpiresAt] = useState<number | null>(null);

  const end = useCallback(() => {
    setToken(null);
    setPrincipal(null);
    setExpiresAt(null);
    setEnded(SESSION_ENDED);
    queryClient.clear();
  }, [queryClient]);

  // Refused by the server (ended there, or revoked): back to the login with the reason.
  useEffect(() => onSessionExpired(end), [end]);

  // The session's configured minutes are over: said at that moment, not at the next tap, so nobody types into
  // a screen that can no longer answer. (A timer longer than 2^31 ms would fire at once; none is that long.)
  useEffect(() => {
    if (expiresAt === null) return;
    const timer = window.setTimeout(end, Math.min(Math.max(expiresAt - Date.now(), 0), 2 ** 31 - 1));
    return () => window.clearTimeout(timer);
  }, [expiresAt, end]);

  const challenge = useCallback(
    async (accessCode: string) => ok(api.POST('/auth/party/challenge', { body: { accessCode } }), { login: true }),
    [],
  );

  const adopt = useCallback(async (token: string, expiresAt: string) => {
    setToken(token);
    const me = await ok(api.GET('/auth/me'));
    setPrincipal(me.principal);
    setExpiresAt(Date.parse(expiresAt));
    setEnded(null);
  }, []);

  const verify = useCallback(
    async (challengeId: string, code: string) => {
      const answer = await ok(api.POST('/auth/party/verify', { body: { challengeId, code } }), { login: true });
      // A replayed answer carries no token (shown once); a fresh sign-in always has one.
      if (!answer.token) throw new Error('no token in the answer');
      await adopt(answer.token, answer.expiresAt);
    },
    [adopt],
  );

  const logout = useCallback(async () => {
    try {
      await ok(api.POST('/auth/logout', { body: {} }));
    } catch {
      // Signing out on this device is what matters; an expired session is already over on the server.
    }
    setToken(null);
    setPrincipal(null);
    setExpiresAt(null);
    setEnded(null);
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo(
    () => ({ principal, ended, challenge, verify, adopt, logout }),
    [principal, ended, challenge, verify, adopt, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
