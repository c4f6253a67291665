import { describe, expect, it } from 'vitest';
import { changedFields, editable, fallback, fieldsToSave } from './form';
import type { Def } from '../model/fields';

const def = (key: string, over: Partial<Def> = {}): Def => ({
  key, name: null, description: null, kind: 'TEXT', required: false, localized: true, unique: false,
  list: false, min: null, max: null, pattern: null, values: null, allowedTypes: null, ...over,
});
const type = { fields: [def('title'), def('sku', { localized: false }), def('tags', { list: true })] };

describe('editable', () => {
  it('lets the default locale edit every field and the others only localized ones', () => {
    expect(editable({ localized: false }, 'en', 'en')).toBe(true);
    expect(editable({ localized: false }, 'ro', 'en')).toBe(false);
    expect(editable({ localized: true }, 'ro', 'en')).toBe(true);
  });
});

describe('fallback', () => {
  const drafts = { 'ro-RO': { locale: 'ro-RO', fields: {} }, ro: { locale: 'ro', fields: { title: 'Oferte' } }, en: { locale: 'en', fields: { title: 'Deals', sku: 'X1' } } };
  it('finds the first later locale in the chain with a value', () => {
    expect(fallback('title', ['ro-RO', 'ro', 'en'], drafts)).toEqual({ locale: 'ro', value: 'Oferte' });
    expect(fallback('sku', ['ro-RO', 'ro', 'en'], drafts)).toEqual({ locale: 'en', value: 'X1' });
  });
  it('never offers the locale itself, and nothing when no locale has a value', () => {
    expect(fallback('title', ['ro'], drafts)).toBeNull();
    expect(fallback('missing', ['ro-RO', 'ro', 'en'], drafts)).toBeNull();
  });
});

describe('fieldsToSave', () => {
  it('keeps what the locale edits and drops empty values', () => {
    const values = { title: 'Oferte', sku: 'X1', tags: [], stray: 'x' };
    expect(fieldsToSave(type, 'ro', 'en', values)).toEqual({ title: 'Oferte' });
    expect(fieldsToSave(type, 'en', 'en', { ...values, tags: ['a'] })).toEqual({ title: 'Oferte', sku: 'X1', tags: ['a'] });
    expect(fieldsToSave(type, 'en', 'en', { title: '' })).toEqual({});
  });
});

describe('changedFields', () => {
  it('names the fields that differ, whatever their shape', () => {
    expect(changedFields({ title: 'Mine', blocks: [{ id: 'a' }], same: 1 }, { title: 'Theirs', blocks: [{ id: 'a' }], same: 1, added: true }))
      .toEqual(['added', 'title']);
  });
});
