import { describe, expect, it } from 'vitest';
import { duration, int, pValue, pct, pctApart, rate, signedPct, srmWorst, takenBy, takenShare } from './format';

describe('numbers', () => {
  it('prints shares as percentages in each language', () => {
    expect(pct('en', 0.532)).toBe('53.2 %');
    expect(pct('ro', 0.532)).toBe('53,2 %');
    expect(pct('en', 0.5, 0)).toBe('50 %');
    expect(int('en', 12345)).toBe('12,345');
  });
  it('signs lifts, and leaves a zero unsigned', () => {
    expect(signedPct('en', 0.123)).toBe('+12.3 %');
    expect(signedPct('en', -0.04)).toBe('−4 %');
    expect(signedPct('en', 0.0001)).toBe('0 %');
  });
  it('prints p-values to three decimals, and tiny ones as < 0.001', () => {
    expect(pValue('en', 0.0423)).toBe('0.042');
    expect(pValue('en', 0.0004)).toBe('< 0.001');
    expect(pValue('ro', 0.5)).toBe('0,5');
  });
  it('prints a conversion rate as a percentage and a mean as a number', () => {
    expect(rate('en', 'CONVERSION', 0.1234)).toBe('12.34 %');
    expect(rate('en', 'REVENUE', 12.345)).toBe('12.35');
  });
  it('gives two shares as many decimals as they need to differ', () => {
    expect(pctApart('en', 0.53, 0.5)).toEqual(['53 %', '50 %']);
    expect(pctApart('en', 0.502, 0.5)).toEqual(['50.2 %', '50 %']);
    expect(pctApart('en', 0.50004, 0.5)).toEqual(['50.004 %', '50 %']);
  });
});

describe('srmWorst', () => {
  it('names the arm furthest from its configured share', () => {
    expect(srmWorst('en', ['a', 'b', 'c'], [1 / 3, 1 / 3, 1 / 3], [0.3, 0.3, 0.4])).toEqual({ arm: 'c', observed: '40 %', expected: '33 %' });
  });
  it('names the arm that got too much when two are equally far (the issue’s example)', () => {
    expect(srmWorst('en', ['a', 'b'], [0.5, 0.5], [0.47, 0.53])).toEqual({ arm: 'b', observed: '53 %', expected: '50 %' });
    expect(srmWorst('en', ['a', 'b'], [0.25, 0.75], [0.5, 0.5])).toEqual({ arm: 'a', observed: '50 %', expected: '25 %' });
  });
  it('is null without arms', () => {
    expect(srmWorst('en', [], [], [])).toBeNull();
  });
});

describe('eligibility', () => {
  const block = { entryId: 'e', blockId: 'cta', exposed: 30, taken: 10, bySegment: 7, byContext: 0, byCampaign: 3 };
  it('lists who took the visitors, largest first, leaving out zeros', () => {
    expect(takenBy(block)).toEqual([{ kind: 'segment', count: 7 }, { kind: 'campaign', count: 3 }]);
    expect(takenBy({ ...block, taken: 0, bySegment: 0, byCampaign: 0 })).toEqual([]);
  });
  it('gives the share of the visitors who reached the block that the test lost', () => {
    expect(takenShare(block)).toBe(0.25);
    expect(takenShare({ ...block, exposed: 0, taken: 0 })).toBe(0);
  });
});

describe('duration', () => {
  it('prints the largest sensible units', () => {
    expect(duration('en', 45)).toBe('45 s');
    expect(duration('en', 720)).toBe('12 min');
    expect(duration('en', 3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(duration('en', 7200)).toBe('2 h');
    expect(duration('ro', 2.5 * 86400)).toBe('2,5 d');
  });
});
