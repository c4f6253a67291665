import { describe, expect, it } from 'vitest';
import { bucketize } from './buckets';

describe('bucketize', () => {
  it('counts per series per hour with empty hours as zero', () => {
    const b = bucketize([
      { at: '2026-11-27T08:10:00Z', series: 'SUCCEEDED' },
      { at: '2026-11-27T08:50:00Z', series: 'FAILED' },
      { at: '2026-11-27T10:05:00Z', series: 'SUCCEEDED' },
    ], 'hour', 'UTC');
    expect(b.labels).toEqual(['27 Nov 08:00', '27 Nov 09:00', '27 Nov 10:00']);
    expect(b.series).toEqual([{ name: 'FAILED', counts: [1, 0, 0] }, { name: 'SUCCEEDED', counts: [1, 0, 1] }]);
  });
  it('keeps only the last buckets of a long span', () => {
    const b = bucketize([{ at: '2026-01-01T00:00:00Z', series: 'x' }, { at: '2026-01-10T00:00:00Z', series: 'x' }], 'day', 'UTC', 3);
    expect(b.labels).toHaveLength(3);
    expect(b.series[0].counts).toEqual([0, 0, 1]);
  });
  it('is empty without items', () => {
    expect(bucketize([], 'day')).toEqual({ labels: [], series: [] });
  });
});
