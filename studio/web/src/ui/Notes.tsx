// Empty, error and done states, each announced to screen readers.
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { errorCode, errorText } from '../api/client';

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function ErrorNote({ error, children }: { error?: CombinedError | Error | null; children?: ReactNode }) {
  if (!error && !children) return null;
  let text: ReactNode = children;
  if (error && 'graphQLErrors' in error) text = <>{errorText(error)} <code>{errorCode(error)}</code></>;
  else if (error) text = error.message;
  return <p className="error" role="alert">{text}</p>;
}

export function Done({ children }: { children: ReactNode }) {
  if (!children) return null;
  return <p className="done" role="status">{children}</p>;
}
