/**
 * Who is signed in. The token stays in api/client.ts's memory; this keeps the principal for the screens. When
 * the server refuses the token mid-work, `expired` turns on and a dialog (SessionExpiredDialog) asks for the
 * password over the current screen, so nothing typed into a form is lost; what failed is fetched again after.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ok, onSessionExpired, setToken, type Principal } from '../api/client';

type Session = {
  principal: Principal | null;
  /** The server refused the token: sign in again to go on. */
  expired: boolean;
  login(username: string, password: string): Promise<void>;
  /** Signs in again as the same person after the session expired, and re-reads what failed. */
  renew(password: string): Promise<void>;
  logout(): Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [principal, setPrincipal] = useState<Principal | null>(null);
  // Asked again when the session expires (the principal does not carry it).
  const [username, setUsername] = useState('');
  const [expired, setExpired] = useState(false);

  useEffect(() => onSessionExpired(() => setExpired(true)), []);

  const login = useCallback(async (name: string, password: string) => {
    const answer = await ok(api.POST('/auth/login', { body: { username: name, password } }), { login: true });
    setToken(answer.token);
    setPrincipal(answer.principal);
    setUsername(name);
    setExpired(false);
  }, []);

  const renew = useCallback(
    async (password: string) => {
      await login(username, password);
      await queryClient.invalidateQueries();
    },
    [login, username, queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await ok(api.POST('/auth/logout', { body: {} }));
    } catch {
      // Signing out here is what matters; an expired session is already over on the server.
    }
    setToken(null);
    setPrincipal(null);
    setExpired(false);
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo(
    () => ({ principal, expired, login, renew, logout }),
    [principal, expired, login, renew, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
