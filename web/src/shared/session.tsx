/** Who is signed in (GET /api/v1/session), shared by the staff app and the buyer portal. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, get, onUnauthenticated, post, setCsrfToken } from './api.ts';

export interface Session {
  kind: 'user' | 'buyer' | 'token';
  user: { id: number; username: string; displayName: string } | null;
  role: string;
  shop: { code: string; name: string } | null;
  shops: { code: string; name: string; role: string }[];
  orderNo: string | null;
  csrfToken: string | null;
  /** other shops' invitations waiting for this user's answer */
  invitations: { id: number; shopCode: string; shopName: string; role: string; invitedBy: string; expiresAt: string }[];
}

interface SessionState {
  /** undefined while loading, null when signed out */
  session: Session | null | undefined;
  setSession: (session: Session | null) => void;
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState>({
  session: undefined,
  setSession: () => {},
  reload: async () => {},
  signOut: async () => {},
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSessionState] = useState<Session | null | undefined>(undefined);
  const setSession = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSessionState(next);
  }, []);
  const reload = useCallback(async () => {
    try {
      setSession(await get<Session>('/session'));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setSession(null);
      else throw err;
    }
  }, [setSession]);
  const signOut = useCallback(async () => {
    try {
      await post('/session/sign-out');
    } finally {
      setSession(null);
    }
  }, [setSession]);
  useEffect(() => {
    reload().catch(() => setSession(null));
    return onUnauthenticated(() => setSession(null));
  }, [reload, setSession]);
  const value = useMemo(() => ({ session, setSession, reload, signOut }), [session, setSession, reload, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}

/** The signed-in session; only inside pages that render after sign-in. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn outside a signed-in page');
  return session;
}
