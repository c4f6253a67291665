// Sign in with email and password (the login mutation), or paste a token:
// developers and tests use `mosaic token --role …`.
import { useState, type FormEvent } from 'react';
import { useI18n, languages, type Lang } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ErrorNote } from '../ui/Notes';

export function SignIn() {
  const { t, lang, setLang } = useI18n();
  const { signIn, useToken, ended } = useSession();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (e: FormEvent, action: () => Promise<void>) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try { await action(); } catch (err) { setError(t('signin.failed', { message: (err as Error).message })); }
    setBusy(false);
  };
  const field = (form: HTMLFormElement, name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;

  return (
    <main id="main" className="signin">
      <h1>{t('app.title')}</h1>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} aria-label={t('shell.language')}>
        {languages.map((l) => <option key={l.code} value={l.code}>{l.label}</option>)}
      </select>
      {ended && <p className="card" role="status">{t('signin.ended')}</p>}
      <form aria-labelledby="signin-title" onSubmit={(e) => run(e, () => signIn(field(e.currentTarget, 'email'), field(e.currentTarget, 'password')))}>
        <h2 id="signin-title">{t('signin.title')}</h2>
        <label>{t('signin.email')}<input name="email" type="email" autoComplete="username" required /></label>
        <label>{t('signin.password')}<input name="password" type="password" autoComplete="current-password" required /></label>
        <button type="submit" disabled={busy}>{t('signin.submit')}</button>
      </form>
      <form aria-labelledby="token-title" onSubmit={(e) => run(e, () => useToken(field(e.currentTarget, 'token')))}>
        <h2 id="token-title">{t('signin.tokenTitle')}</h2>
        <p className="hint" id="token-hint">{t('signin.tokenHint')}</p>
        <label>{t('signin.token')}<input name="token" type="password" aria-describedby="token-hint" required /></label>
        <button type="submit" disabled={busy}>{t('signin.useToken')}</button>
      </form>
      <ErrorNote>{error}</ErrorNote>
    </main>
  );
}
