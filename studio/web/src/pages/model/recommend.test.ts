// changeFields replaces a field's whole definition: a field's
// recommendation source must survive an edit of something else, and be
// sent as edited when it is edited.
import { describe, expect, it } from 'vitest';
import { changesBetween, fromDef, recommendErrors, toInput, type Def } from './fields';

const related: Def = {
  key: 'related', name: 'Related', description: null, kind: 'REFERENCE', required: false, localized: false,
  unique: false, list: true, min: null, max: 6, pattern: null, values: null, allowedTypes: ['product'],
  recommend: { source: 'popular', by: 'segment', window: '24h', limit: 4, types: ['product'], tags: ['winter'], excludePurchased: true },
};
const saved = { name: 'Product', description: '', fields: [related] };
const sentRecommend = { source: 'popular', by: 'segment', window: '24h', limit: 4, types: ['product'], tags: ['winter'], excludePurchased: true };

describe('a field with a recommendation source', () => {
  it('is unchanged when nothing was edited', () => {
    expect(changesBetween(saved, { name: 'Product', description: '', fields: saved.fields.map(fromDef) })).toBeNull();
  });

  it('keeps its recommend setting through an unrelated edit', () => {
    const fields = saved.fields.map(fromDef);
    fields[0] = { ...fields[0], name: 'You may also like', max: '8' };
    expect(changesBetween(saved, { name: 'Product', description: '', fields })).toEqual({
      changeFields: [{ key: 'related', name: 'You may also like', kind: 'REFERENCE', required: false, localized: false, list: true, max: 8,
        allowedTypes: ['product'], recommend: sentRecommend }],
    });
  });

  it('sends an edited recommend setting, and none once switched off', () => {
    const fields = saved.fields.map(fromDef);
    fields[0] = { ...fields[0], recommend: { ...fields[0].recommend!, source: 'alsoViewed', by: '', window: '', tags: '' } };
    expect(changesBetween(saved, { name: 'Product', description: '', fields })?.changeFields?.[0].recommend)
      .toEqual({ source: 'alsoViewed', limit: 4, types: ['product'], excludePurchased: true });
    fields[0] = { ...fields[0], recommend: null };
    const off = changesBetween(saved, { name: 'Product', description: '', fields })?.changeFields?.[0];
    expect(off).toBeDefined();
    expect(off).not.toHaveProperty('recommend');
  });

  it('is not sent on a field that is no longer a reference list', () => {
    const f = fromDef(related);
    expect(toInput({ ...f, list: false })).not.toHaveProperty('recommend');
    expect(toInput({ ...f, kind: 'TEXT' })).not.toHaveProperty('recommend');
  });

  it('reads a field without one (other pages do not ask) as none', () => {
    const { recommend: _, ...plain } = related;
    expect(fromDef(plain).recommend).toBeNull();
  });
});

describe('recommendErrors', () => {
  const err = (paths: string[]) => ({ graphQLErrors: [{ extensions: { code: 'BAD_USER_INPUT', fields: paths.map((path) => ({ path, message: `bad ${path}` })) } }] });
  it('finds a changed field’s messages by its place in the change sent', () => {
    const changes = { changeFields: [{ key: 'title', kind: 'TEXT' as const }, { key: 'related', kind: 'REFERENCE' as const }] };
    expect(recommendErrors(err(['changeFields.1.recommend.window', 'changeFields.0.name', 'changeFields.1.recommend.types.2']), 'related', 1, changes))
      .toEqual({ window: 'bad changeFields.1.recommend.window', types: 'bad changeFields.1.recommend.types.2' });
    expect(recommendErrors(err(['changeFields.1.recommend.window']), 'title', 0, changes)).toEqual({});
  });
  it('finds a new type’s by the field’s place, the whole setting beside the source', () => {
    expect(recommendErrors(err(['fields.2.recommend']), 'related', 2, null)).toEqual({ source: 'bad fields.2.recommend' });
  });
});
