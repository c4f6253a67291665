import { describe, expect, it } from 'vitest';
import { changesBetween, fieldKinds, fromDef, newField, problems, toInput, type Def } from './fields';

const def = (over: Partial<Def>): Def => ({
  key: 'title', name: 'Title', description: null, kind: 'TEXT', required: true, localized: true,
  unique: false, list: false, min: null, max: 120, pattern: null, values: null, allowedTypes: null, ...over,
});

const saved = {
  name: 'Page', description: '',
  fields: [def({}), def({ key: 'blocks', name: null, kind: 'BLOCKS', required: false, localized: false, max: null, allowedTypes: ['hero'] })],
};

describe('changesBetween', () => {
  it('is null when nothing was edited', () => {
    expect(changesBetween(saved, { name: 'Page', description: '', fields: saved.fields.map(fromDef) })).toBeNull();
  });

  it('adds new fields, changes edited ones in place and removes missing ones', () => {
    const fields = saved.fields.map(fromDef);
    fields[0] = { ...fields[0], max: '200' };
    fields.splice(1, 1);
    fields.push({ ...newField(3), key: 'subtitle' });
    expect(changesBetween(saved, { name: 'Page', description: '', fields })).toEqual({
      addFields: [{ key: 'subtitle', kind: 'TEXT', required: false, localized: false }],
      changeFields: [{ key: 'title', name: 'Title', kind: 'TEXT', required: true, localized: true, max: 200 }],
      removeFields: ['blocks'],
    });
  });

  it('allows another block type on a blocks field without touching the rest', () => {
    const fields = saved.fields.map(fromDef);
    fields[1] = { ...fields[1], allowedTypes: ['hero', 'banner'] };
    expect(changesBetween(saved, { name: 'Page', description: '', fields })).toEqual({
      changeFields: [{ key: 'blocks', kind: 'BLOCKS', required: false, localized: false, allowedTypes: ['hero', 'banner'] }],
    });
  });

  it('renames the type without sending fields', () => {
    expect(changesBetween(saved, { name: 'Web page', description: '', fields: saved.fields.map(fromDef) })).toEqual({ name: 'Web page' });
  });
});

describe('toInput', () => {
  it('drops settings the kind does not take', () => {
    const f = { ...newField(1), kind: 'BOOLEAN' as const, values: 'a, b', pattern: '^x', allowedTypes: ['hero'], min: '1' };
    expect(toInput(f)).toEqual({ key: 'field1', kind: 'BOOLEAN', required: false, localized: false });
  });
  it('splits enum values', () => {
    expect(toInput({ ...newField(1), kind: 'ENUM', values: ' red, green ,,blue ' }).values).toEqual(['red', 'green', 'blue']);
  });
});

describe('problems', () => {
  it('names empty and repeated keys and enums without values', () => {
    expect(problems([{ ...newField(1), key: '' }, newField(2), newField(2), { ...newField(4), kind: 'ENUM' }])).toEqual([
      'field 1: the key is empty', 'field 3: the key field2 is used twice', 'field4: an enum needs allowed values',
    ]);
    expect(problems([newField(1)])).toEqual([]);
  });
});

it('knows every field kind of the schema', () => {
  expect(fieldKinds).toEqual(['TEXT', 'RICH_TEXT', 'NUMBER', 'BOOLEAN', 'DATE_TIME', 'ENUM', 'REFERENCE', 'ASSET', 'BLOCKS', 'JSON']);
});
