// The app: providers, then sign-in or the shell with the pages the role may
// open. History routing under /studio/ (the Go handler serves index.html
// for every path under it that is not a file).
import { useMemo } from 'react';
import { BrowserRouter, Routes, Route, Navigate } from 'react-router';
import { Provider } from 'urql';
import { newClient } from './api/client';
import { I18nProvider, useI18n } from './i18n/i18n';
import { SessionProvider, useSession } from './session/session';
import { Layout } from './shell/Layout';
import { SignIn } from './pages/SignIn';
import { Loading } from './ui/Loading';
import { pages } from './routes';

function Home() {
  const { t } = useI18n();
  return <section><h2>{t('home.title')}</h2><p>{t('home.intro')}</p></section>;
}

function Signed() {
  const { me, checking, can } = useSession();
  if (checking) return <Loading />;
  if (!me) return <SignIn />;
  return (
    <Layout>
      <Routes>
        <Route index element={<Home />} />
        {pages.filter((p) => !p.permission || can(p.permission)).map((p) => (
          <Route key={p.path} path={p.path} element={<p.component />} />
        ))}
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Layout>
  );
}

export function App() {
  const client = useMemo(newClient, []);
  return (
    <Provider value={client}>
      <I18nProvider>
        <SessionProvider>
          <BrowserRouter basename="/studio">
            <Signed />
          </BrowserRouter>
        </SessionProvider>
      </I18nProvider>
    </Provider>
  );
}
