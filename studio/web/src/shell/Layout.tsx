// The frame around every page: skip link, nav (only the pages the role may
// open), who is signed in with their role, the language switch, sign-out,
// and the API-down banner.
import { Suspense, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import { PageBoundary } from './PageBoundary';
import { useI18n, languages, type Lang } from '../i18n/i18n';
import { useSession } from '../session/session';
import { useApiStatus } from '../api/status';
import { pages } from '../routes';
import { Loading } from '../ui/Loading';

export function Layout({ children }: { children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const { me, can, signOut } = useSession();
  const api = useApiStatus();
  const { pathname } = useLocation();
  const role = me?.role ? me.role.toLowerCase() : me?.kind ?? '';
  return (
    <div className="app">
      <a className="skip" href="#main">{t('nav.skip')}</a>
      <header className="top">
        <h1 className="brand">{t('app.title')}</h1>
        <nav aria-label={t('nav.main')}>
          <ul>
            {pages.filter((p) => !p.permission || can(p.permission)).map((p) => (
              <li key={p.path}><NavLink to={'/' + p.path.replace('/*', '')}>{t(p.nav)}</NavLink></li>
            ))}
            <li><a href="/graphiql">{t('nav.graphiql')}</a></li>
          </ul>
        </nav>
        <div className="who">
          <span id="who">{t('shell.signedInAs', { subject: me?.subject ?? '' })}</span>
          <span className="role" data-role={role}>{t('shell.role', { role })}</span>
          <label className="lang">
            <span className="sr-only">{t('shell.language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} aria-label={t('shell.language')}>
              {languages.map((l) => <option key={l.code} value={l.code}>{l.label}</option>)}
            </select>
          </label>
          <button type="button" onClick={signOut}>{t('shell.signOut')}</button>
        </div>
      </header>
      {!api.up && (
        <div className="banner" role="alert">{t('shell.apiDown', { detail: api.detail })}</div>
      )}
      <main id="main" tabIndex={-1} className={api.up ? '' : 'stale'} aria-describedby={api.up ? undefined : 'stale-mark'}>
        {!api.up && <span id="stale-mark" className="stale-mark">{t('shell.stale')}</span>}
        <PageBoundary resetKey={pathname} message={t('shell.pageFailed')} retry={t('shell.retry')}>
          <Suspense fallback={<Loading />}>{children}</Suspense>
        </PageBoundary>
      </main>
    </div>
  );
}
