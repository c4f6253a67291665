// The entry form's model, generated from the content type: which fields a
// locale edits, what each shows when the locale has no value of its own
// (the fallback along the chain), and the fields object to save. Pure
// functions, tested without a server.
import type { Def } from '../model/fields';

export type Fields = Record<string, unknown>;
export type LocaleDraft = { locale: string; fields: Fields } | null;

// editable says whether a field is edited in this locale: the default
// locale holds every field, the others only localized ones (the server
// refuses the rest: "field is not localized: set it on the default locale").
export function editable(f: Pick<Def, 'localized'>, locale: string, defaultLocale: string): boolean {
  return locale === defaultLocale || f.localized;
}

// fallback finds what a field shows in a locale without its own value: the
// first locale after it in the chain that has one.
export function fallback(key: string, chain: string[], drafts: Record<string, LocaleDraft>): { locale: string; value: unknown } | null {
  for (const loc of chain.slice(1)) {
    const v = drafts[loc]?.fields?.[key];
    if (v !== undefined && v !== null) return { locale: loc, value: v };
  }
  return null;
}

// isEmpty: the value the control shows for "nothing" (saved as absent).
export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

// fieldsToSave keeps the fields the locale edits, drops empty ones (absent
// means "fall back" in a locale and "unset" in the default), and keeps
// fields the type no longer knows out.
export function fieldsToSave(type: { fields: Def[] }, locale: string, defaultLocale: string, values: Fields): Fields {
  const out: Fields = {};
  for (const f of type.fields) {
    if (!editable(f, locale, defaultLocale)) continue;
    const v = values[f.key];
    if (!isEmpty(v)) out[f.key] = v;
  }
  return out;
}

// changedFields names the fields whose values differ between two versions:
// the conflict view's "review the difference".
export function changedFields(mine: Fields, theirs: Fields): string[] {
  const keys = new Set([...Object.keys(mine), ...Object.keys(theirs)]);
  return [...keys].filter((k) => JSON.stringify(mine[k] ?? null) !== JSON.stringify(theirs[k] ?? null)).sort();
}

// newBlockId is a block id the server accepts (1-64 letters, digits, _ or -).
export function newBlockId(): string {
  return 'b' + Math.random().toString(36).slice(2, 10);
}
