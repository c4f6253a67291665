// Whether the API answered the last request: the shell shows a banner and
// marks what is on screen stale while it does not. One small store read
// with useSyncExternalStore, written by the client's fetch.
import { useSyncExternalStore } from 'react';

export type ApiStatus = { up: boolean; detail: string; since: number };

let status: ApiStatus = { up: true, detail: '', since: 0 };
const listeners = new Set<() => void>();

export function setApiStatus(up: boolean, detail = '') {
  if (!up) watchForReturn();
  if (status.up === up && status.detail === detail) return;
  status = { up, detail, since: Date.now() };
  listeners.forEach((l) => l());
}

// While the API is down, nothing else may ask it anything (a page that
// failed waits for the user), so the banner would stay up for good: probe
// /healthz (public, never rate-limited) until it answers, then say the API
// is back, which makes the pages that failed fetch again (api/query.ts).
export const probeEveryMs = 2000;
let probe: ReturnType<typeof setTimeout> | undefined;

function watchForReturn() {
  if (probe !== undefined) return;
  const check = async () => {
    if (status.up) { probe = undefined; return; }
    try {
      const res = await fetch('/healthz', { cache: 'no-store' });
      if (res.ok) { probe = undefined; setApiStatus(true); return; }
    } catch { /* still down */ }
    probe = setTimeout(check, probeEveryMs);
  };
  probe = setTimeout(check, probeEveryMs);
}

export function useApiStatus(): ApiStatus {
  return useSyncExternalStore(
    (l) => { listeners.add(l); return () => listeners.delete(l); },
    () => status,
  );
}

// The session's end (UNAUTHENTICATED from the API), told to the session
// store, which signs out.
const sessionListeners = new Set<() => void>();
export function onSessionEnded(l: () => void): () => void {
  sessionListeners.add(l);
  return () => { sessionListeners.delete(l); };
}
export function endSession() {
  sessionListeners.forEach((l) => l());
}
