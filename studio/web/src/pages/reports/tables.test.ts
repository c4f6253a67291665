import { describe, expect, it } from 'vitest';
import { column, forestTable, outcomesTable, pick, reachTable, round } from './tables';
import { toCSV } from './csv';

describe('forestTable', () => {
  it('has a row per compared arm, in percent, and none for the control or an undefined lift', () => {
    const t = forestTable([
      { key: 'a', lift: null, ciLow: null, ciHigh: null },
      { key: 'b', lift: 0.123, ciLow: -0.0456789, ciHigh: 0.29 },
      { key: 'c', lift: null, ciLow: null, ciHigh: null },
    ]);
    expect(t.rows).toEqual([['b', 12.3, -4.5679, 29]]);
    expect(toCSV(t)).toBe('arm,lift (%),interval low (%),interval high (%)\r\nb,12.3,-4.5679,29\r\n');
  });
});

describe('reach and outcomes', () => {
  it('tabulate cells and outcomes', () => {
    expect(reachTable('device', [{ key: 'mobile', reach: 3, exposures: 5 }])).toEqual({ columns: ['device', 'reach', 'exposures'], rows: [['mobile', 3, 5]] });
    const t = outcomesTable([{ variant: 'winter-sale', visitors: 3, conversions: 1, conversionRate: 1 / 3, revenue: 10, aov: 10, revenuePerVisitor: 10 / 3 }]);
    expect(t.rows).toEqual([['winter-sale', 3, 1, 33.3333, 10, 10, 3.3333]]);
    expect(column(t, 'conversion rate (%)')).toEqual([33.3333]);
    expect(pick(t, ['variant', 'conversion rate (%)'])).toEqual({ columns: ['variant', 'conversion rate (%)'], rows: [['winter-sale', 33.3333]] });
  });
  it('rounds away floating-point noise', () => {
    expect(round(0.1 * 3 * 100)).toBe(30);
  });
});
