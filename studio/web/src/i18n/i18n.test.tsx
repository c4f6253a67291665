import { describe, expect, it } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/react';
import { en, ro } from './strings';
import { I18nProvider, formatInstant, translate, useI18n } from './i18n';

describe('the dictionaries', () => {
  it('have the same keys in English and Romanian', () => {
    expect(Object.keys(ro).sort()).toEqual(Object.keys(en).sort());
  });
  it('use the same placeholders in both languages', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(en) as (keyof typeof en)[]) {
      expect(holes(ro[k] ?? ''), k).toEqual(holes(en[k]));
    }
  });
});

describe('translate', () => {
  it('fills placeholders and keeps unknown ones visible', () => {
    expect(translate('en', 'model.fieldHolds', { count: 3, key: 'subtitle' })).toBe('3 entries hold values for subtitle');
    expect(translate('ro', 'model.fieldHolds', { count: 3, key: 'subtitle' })).toBe('3 intrări au valori pentru subtitle');
    expect(translate('en', 'model.fieldHolds', { count: 3 })).toBe('3 entries hold values for {key}');
  });
});

describe('formatInstant', () => {
  it('formats one instant per language, in the zone asked for', () => {
    const iso = '2026-11-27T08:00:00Z';
    expect(formatInstant('en', iso, 'Europe/Bucharest')).toMatch(/27 Nov 2026.*10:00/);
    expect(formatInstant('ro', iso, 'Europe/Bucharest')).toMatch(/27 nov\.? 2026.*10:00/);
    expect(formatInstant('en', iso, 'UTC')).toMatch(/08:00/);
    expect(formatInstant('en', null)).toBe('—');
  });
});

function Probe() {
  const { t, setLang } = useI18n();
  return <button type="button" onClick={() => setLang('ro')}>{t('shell.signOut')}</button>;
}

describe('the language switch', () => {
  it('re-renders the UI in the chosen language and remembers it', () => {
    localStorage.clear();
    render(<I18nProvider lang="en"><Probe /></I18nProvider>);
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(screen.getByRole('button', { name: 'Deconectare' })).toBeTruthy();
    expect(localStorage.getItem('mosaic.studio.lang')).toBe('ro');
  });
});
