import { describe, expect, it } from 'vitest';
import { holdoutPercent, holdoutShare } from './holdout';

describe('holdoutShare', () => {
  it('reads a percentage from 0 to 50 as a share', () => {
    expect(holdoutShare('')).toBe(0);
    expect(holdoutShare(' 20 ')).toBe(0.2);
    expect(holdoutShare('12.5')).toBe(0.125);
    expect(holdoutShare('12,5')).toBe(0.125);
    expect(holdoutShare('50')).toBe(0.5);
    expect(holdoutShare('0')).toBe(0);
  });
  it('refuses what the API would refuse', () => {
    for (const bad of ['-1', '50.1', '100', 'ten', '1e1', '0x10']) expect(holdoutShare(bad), bad).toBeNull();
  });
  it('shows a share back as the percentage typed', () => {
    expect(holdoutPercent(0.125)).toBe('12.5');
    expect(holdoutPercent(0.2)).toBe('20');
    expect(holdoutPercent(0)).toBe('');
    expect(holdoutPercent(null)).toBe('');
  });
});
