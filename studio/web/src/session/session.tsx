// Who is signed in: the token (sessionStorage: gone with the tab, never
// shared with other sites' scripts through cookies), the principal `me`
// answers for it, and can(permission) — the one place the studio asks what
// the role allows, so a page hides or disables what the server would refuse.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useClient } from 'urql';
import { doc, graphql } from '../api/doc';
import type { MeQuery } from '../gql/graphql';
import { getToken, setToken, errorText } from '../api/client';
import { onSessionEnded } from '../api/status';

export const MeDoc = doc(graphql(`
  query Me { me { subject kind role permissions expiresAt } }
`));

export const LoginDoc = doc(graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { token }
  }
`));

export type Principal = NonNullable<MeQuery['me']>;

type Session = {
  me: Principal | null;
  // Set when the API ended the session (an expired or revoked token).
  ended: boolean;
  checking: boolean;
  can: (permission: string) => boolean;
  signIn: (email: string, password: string) => Promise<void>;
  useToken: (token: string) => Promise<void>;
  signOut: () => void;
};

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children, initial = null }: { children: ReactNode; initial?: Principal | null }) {
  const client = useClient();
  const [me, setMe] = useState<Principal | null>(initial);
  const [checking, setChecking] = useState(!initial && !!getToken());
  const [ended, setEnded] = useState(false);
  useEffect(() => onSessionEnded(() => { setToken(''); setMe(null); setEnded(true); }), []);

  const load = useCallback(async (token: string) => {
    setToken(token);
    const res = await client.query(MeDoc, {}, { requestPolicy: 'network-only' }).toPromise();
    if (res.error) { setToken(''); throw new Error(errorText(res.error)); }
    if (!res.data?.me) { setToken(''); throw new Error('the token was not accepted'); }
    setMe(res.data.me);
    setEnded(false);
  }, [client]);

  // A token kept from earlier in this tab: check it once.
  useState(() => {
    const token = getToken();
    if (token && !initial) load(token).catch(() => undefined).finally(() => setChecking(false));
  });

  const value = useMemo<Session>(() => ({
    me,
    ended,
    checking,
    can: (p) => !!me?.permissions.includes(p),
    signIn: async (email, password) => {
      const res = await client.mutation(LoginDoc, { email, password }).toPromise();
      if (res.error) throw new Error(errorText(res.error));
      await load(res.data!.login.token);
    },
    useToken: (token) => load(token.trim()),
    signOut: () => { setToken(''); setMe(null); },
  }), [me, checking, client, load]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
