import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, getMe, login, logout, onUnauthenticated, type Me } from './api';
import { formattersFor, type Formatters } from './format';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly notice?: string }
  | { readonly status: 'signed-in'; readonly me: Me }
  | { readonly status: 'unavailable'; readonly message: string };

interface SessionValue {
  readonly state: SessionState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Reads /me again, e.g. after the company name changed. */
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

const expiredNotice = 'Your session has ended. Sign in again.';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const load = useCallback(async () => {
    try {
      setState({ status: 'signed-in', me: await getMe() });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setState({ status: 'signed-out' });
      } else {
        setState({ status: 'unavailable', message: error instanceof Error ? error.message : String(error) });
      }
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(
    () =>
      onUnauthenticated((error) => {
        setState((current) =>
          current.status === 'signed-in'
            ? { status: 'signed-out', notice: error.code === 'O2C_SESSION_EXPIRED' ? expiredNotice : 'You are signed out. Sign in again.' }
            : current,
        );
      }),
    [],
  );

  const value = useMemo<SessionValue>(
    () => ({
      state,
      async signIn(email, password) {
        await login(email, password);
        setState({ status: 'signed-in', me: await getMe() });
      },
      async signOut() {
        try {
          await logout();
        } catch (error) {
          // Already signed out on the server: the outcome is the same.
          if (!(error instanceof ApiError) || error.status !== 401) throw error;
        }
        setState({ status: 'signed-out', notice: 'You have signed out.' });
      },
      refresh: load,
    }),
    [state, load],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in person; only for components rendered inside the signed-in layout. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe needs a signed-in session');
  return state.me;
}

export function useFormatters(): Formatters {
  return formattersFor(useMe().tenant);
}
