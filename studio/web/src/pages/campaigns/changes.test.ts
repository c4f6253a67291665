import { describe, expect, it } from 'vitest';
import { audience, entriesChanged } from './changes';

describe('entriesChanged', () => {
  it('lists every entry the campaign touches, from its variants and its release', () => {
    const list = entriesChanged({
      status: 'SCHEDULED',
      variants: [
        { entryId: '1', type: 'page', slug: 'deals', locale: 'en', blockId: 'b1', variant: 'vip-mobile', published: false },
        { entryId: '2', type: 'page', slug: 'home', locale: 'en', blockId: null, variant: 'bf', published: true },
      ],
      release: [{ entryId: '1', type: 'page', slug: 'deals', locale: 'en' }, { entryId: '3', type: 'screen', slug: 'lobby', locale: 'ro' }],
    });
    expect(list.map((e) => e.key)).toEqual(['page/deals/en', 'page/home/en', 'screen/lobby/ro']);
    expect(list[0]).toMatchObject({ released: true, variants: ['vip-mobile (block b1) — draft only'] });
    expect(list[1]).toMatchObject({ released: false, variants: ['bf (entry)'] });
    expect(list[2].variants).toEqual([]);
  });
  it('is empty for a campaign that touches nothing', () => {
    expect(entriesChanged({ status: 'DRAFT', variants: [], release: [] })).toEqual([]);
  });
});

describe('audience', () => {
  it('is the visitor a variant targets', () => {
    expect(audience({ key: 'v', segments: ['vip'], devices: ['mobile'] }, 'en')).toEqual({ locale: 'en', segments: ['vip'], device: 'mobile' });
    expect(audience(undefined, 'ro')).toEqual({ locale: 'ro' });
  });
});
