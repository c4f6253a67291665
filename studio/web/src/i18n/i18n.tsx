// The UI language: a dictionary per language (strings.ts), a switch kept in
// localStorage, and one date format per language (the browser's Intl, in
// the language's conventions and any IANA zone; Luxon, which the date
// inputs use, stays out of the first load).
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, ro, type Key } from './strings';

export type Lang = 'en' | 'ro';
export const languages: { code: Lang; label: string }[] = [
  { code: 'en', label: 'English' },
  { code: 'ro', label: 'Română' },
];

const dictionaries: Record<Lang, Partial<Record<Key, string>>> = { en, ro };

// translate fills {name} placeholders; a key missing in the language falls
// back to English, and an unknown placeholder stays visible.
export function translate(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

// formatInstant shows an RFC 3339 instant in the language's date format,
// in zone (an IANA name) or the browser's zone.
export function formatInstant(lang: Lang, iso: string | null | undefined, zone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'ro' ? 'ro-RO' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(d);
}

type I18n = {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: Key, vars?: Record<string, string | number>) => string;
  date: (iso: string | null | undefined, zone?: string) => string;
};

const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  const saved = globalThis.localStorage?.getItem('mosaic.studio.lang');
  if (saved === 'en' || saved === 'ro') return saved;
  return globalThis.navigator?.language?.startsWith('ro') ? 'ro' : 'en';
}

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(fixed ?? initialLang);
  const value = useMemo<I18n>(() => ({
    lang,
    setLang: (l) => {
      localStorage.setItem('mosaic.studio.lang', l);
      document.documentElement.lang = l;
      setLangState(l);
    },
    t: (key, vars) => translate(lang, key, vars),
    date: (iso, zone) => formatInstant(lang, iso, zone),
  }), [lang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
