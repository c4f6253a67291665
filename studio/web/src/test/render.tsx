// Renders a component inside the providers every page has: English
// strings, a session with the given permissions, and a GraphQL client that
// never answers (component tests exercise the UI, not the server; the
// browser tests run against a real one).
import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { Client, Provider } from 'urql';
import { I18nProvider } from '../i18n/i18n';
import { SessionProvider, type Principal } from '../session/session';

export function renderWith(ui: ReactNode, permissions: string[] = ['content.read', 'content.write', 'content.publish', 'model.write']) {
  const client = new Client({ url: '/graphql', exchanges: [] });
  const me: Principal = { subject: 'test', kind: 'editor_token', role: 'ADMIN', permissions, expiresAt: null };
  return render(
    <Provider value={client}>
      <I18nProvider lang="en">
        <SessionProvider initial={me}>
          <MemoryRouter>{ui}</MemoryRouter>
        </SessionProvider>
      </I18nProvider>
    </Provider>,
  );
}
