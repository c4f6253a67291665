import { describe, expect, it } from 'vitest';
import { variantWarnings, outranks, specificity, type Known } from './warnings';

const known: Known = {
  segments: ['vip', 'returning'],
  campaigns: { 'black-friday': { priority: 10 }, spring: { priority: 1 } },
  experiments: { hero: { arms: ['a', 'b'] } },
};

describe('variantWarnings', () => {
  it('says nothing about a sound set', () => {
    expect(variantWarnings([
      { key: 'vip-mobile', segments: ['vip'], devices: ['mobile'] },
      { key: 'vip', segments: ['vip'] },
    ], known)).toEqual([]);
  });
  it('flags an unknown segment, campaign, experiment and arm', () => {
    const w = variantWarnings([
      { key: 'x', segments: ['vipp'] },
      { key: 'y', campaign: 'nope' },
      { key: 'z', experiment: 'hero', arm: 'c' },
    ], known);
    expect(w.map((x) => [x.variant, x.kind])).toEqual([['x', 'unknown'], ['y', 'unknown'], ['z', 'unknown']]);
    expect(w[0].message).toContain('vipp');
    expect(w[2].message).toContain('a, b');
  });
  it('flags a variant shadowed by an earlier identical one', () => {
    const w = variantWarnings([{ key: 'first', segments: ['vip'] }, { key: 'second', segments: ['vip'] }], known);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ variant: 'second', kind: 'neverWins' });
    expect(w[0].message).toContain('earlier in the list');
  });
  it('does not flag a more specific variant after a broader one', () => {
    expect(variantWarnings([{ key: 'vip', segments: ['vip'] }, { key: 'vip-mobile', segments: ['vip'], devices: ['mobile'] }], known)).toEqual([]);
  });
  it('does not flag variants whose audiences only overlap', () => {
    expect(variantWarnings([{ key: 'a', segments: ['vip'] }, { key: 'b', segments: ['vip', 'returning'] }], known)).toEqual([]);
  });
  it('flags a campaign variant that starves an experiment arm', () => {
    const w = variantWarnings([
      { key: 'bf', campaign: 'black-friday' },
      { key: 'hero-b', experiment: 'hero', arm: 'b', segments: ['vip'] },
    ], known);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ variant: 'hero-b', kind: 'starves' });
    expect(w[0].message).toContain('while black-friday is live');
  });
  it('does not call a narrower campaign variant a starver', () => {
    expect(variantWarnings([
      { key: 'bf-mobile', campaign: 'black-friday', devices: ['mobile'] },
      { key: 'hero-b', experiment: 'hero', arm: 'b' },
    ], known)).toEqual([]);
  });
});

describe('outranks', () => {
  it('follows the resolver precedence', () => {
    expect(outranks({ key: 'a', campaign: 'black-friday' }, 1, { key: 'b', campaign: 'spring' }, 0, known)).toContain('higher priority');
    expect(outranks({ key: 'a', priority: 5 }, 1, { key: 'b' }, 0, known)).toBe('higher priority');
    expect(outranks({ key: 'a' }, 1, { key: 'b' }, 0, known)).toBeNull();
    expect(specificity({ key: 'x', segments: ['vip'], experiment: 'hero', arm: 'a' })).toBe(2);
  });
});
