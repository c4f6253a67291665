// The GraphQL client: urql over /graphql on the same origin, the session's
// token as a Bearer header. Every request reports whether the API answered
// (api/status.ts): a refused connection or a 5xx puts the banner up, any
// answer takes it down. Documents are typed by codegen (src/gql).
import { Client, cacheExchange, fetchExchange, mapExchange, CombinedError } from 'urql';
import { endSession, setApiStatus } from './status';

const tokenKey = 'mosaic.studio.token';

export function getToken(): string {
  return sessionStorage.getItem(tokenKey) ?? '';
}

export function setToken(token: string) {
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function trackedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  try {
    const res = await fetch(input, init);
    if (res.status >= 502) setApiStatus(false, `HTTP ${res.status}`);
    else setApiStatus(true);
    return res;
  } catch (e) {
    // urql aborts a request whose result nobody wants any more (a page
    // left, a query replaced): that says nothing about the API.
    if (init?.signal?.aborted || (e instanceof DOMException && e.name === 'AbortError')) throw e;
    setApiStatus(false, e instanceof Error ? e.message : String(e));
    throw e;
  }
}

export function newClient(): Client {
  return new Client({
    url: '/graphql',
    exchanges: [
      // A token that expired or was revoked: the session ends, and the
      // sign-in page says why, instead of every page failing one by one.
      mapExchange({ onError: (err) => { if (getToken() && errorCode(err) === 'UNAUTHENTICATED') endSession(); } }),
      cacheExchange,
      fetchExchange,
    ],
    fetch: trackedFetch,
    fetchOptions: () => ({ headers: authHeaders() }),
    requestPolicy: 'cache-and-network',
    preferGetMethod: false,
  });
}

// errorCode is the first GraphQL error's extensions.code, or NETWORK.
export function errorCode(err: CombinedError | undefined | null): string {
  if (!err) return '';
  if (err.networkError && !err.graphQLErrors.length) return 'NETWORK';
  return String(err.graphQLErrors[0]?.extensions?.code ?? 'ERROR');
}

// errorText is what a user reads: the server's message, no "[GraphQL]" prefix.
export function errorText(err: CombinedError | undefined | null): string {
  if (!err) return '';
  if (err.graphQLErrors.length) return err.graphQLErrors.map((e) => e.message).join('; ');
  return err.networkError?.message ?? err.message;
}

// fieldErrors maps a BAD_USER_INPUT's extensions.fields (dotted paths such
// as "fields.title" or "fields.blocks.2.fields.url") to the top-level field
// each names, so a form can show the message beside its input.
export function fieldErrors(err: CombinedError | undefined | null, prefix = 'fields.'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of err?.graphQLErrors ?? []) {
    const list = (e.extensions?.fields ?? []) as { path: string; message: string }[];
    for (const f of list) {
      const rest = f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path;
      const key = rest.split('.')[0];
      const where = rest.includes('.') ? `${rest}: ` : '';
      out[key] = out[key] ? `${out[key]}; ${where}${f.message}` : `${where}${f.message}`;
    }
  }
  return out;
}
