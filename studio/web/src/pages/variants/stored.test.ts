import { describe, expect, it } from 'vitest';
import { draftBlocks, fromStored } from './stored';

describe('stored variants', () => {
  it('flattens targeting and finds blocks in any array field', () => {
    const blocks = draftBlocks({
      title: 'Deals',
      body: [{ id: 'b1', type: 'banner', fields: { heading: 'Hi' }, variants: [{ key: 'vip', targeting: { segments: ['vip'], devices: ['mobile'] }, campaign: 'black-friday', fields: { heading: 'VIP' } }] }],
      tags: ['a', 'b'],
    });
    expect(blocks).toHaveLength(1);
    expect(blocks[0].variants[0]).toMatchObject({ key: 'vip', segments: ['vip'], devices: ['mobile'], campaign: 'black-friday', fields: { heading: 'VIP' } });
    expect(fromStored(null)).toEqual([]);
  });
});
