import { describe, expect, it } from 'vitest';
import { column, forestTable, liftTable, outcomesTable, pick, reachTable, round } from './tables';
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

describe('liftTable', () => {
  it('has a row per metric whose lift against the holdout is defined, in percent', () => {
    const t = liftTable({
      conversionRate: { lift: 1.5, ciLow: 0.2, ciHigh: 2.80000001, pValue: 0.0123456789 },
      revenuePerVisitor: { lift: null, ciLow: null, ciHigh: null, pValue: null },
    }, { rate: 'conversion rate', rpv: 'revenue per visitor' });
    expect(t.rows).toEqual([['conversion rate', 150, 20, 280, 0.012346]]);
    expect(toCSV(t)).toBe('metric,lift (%),interval low (%),interval high (%),p-value\r\nconversion rate,150,20,280,0.012346\r\n');
  });
  it('is empty when nothing can be compared', () => {
    expect(liftTable({ conversionRate: null, revenuePerVisitor: undefined }, { rate: 'r', rpv: 'v' }).rows).toEqual([]);
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

describe('series, KPI and funnel tables', () => {
  it('lays the daily series out a column per arm', async () => {
    const { dailyTables, kpiTable, funnelTable } = await import('./tables');
    const days = [
      { day: '2026-12-05', arms: [{ key: 'a', visitors: 10, cumulativeRate: 0.1 }, { key: 'b', visitors: 12, cumulativeRate: 0.25 }] },
      { day: '2026-12-06', arms: [{ key: 'a', visitors: 5, cumulativeRate: 0.2 }, { key: 'b', visitors: 0, cumulativeRate: 0.25 }] },
    ];
    const t = dailyTables(days, 'CONVERSION');
    expect(t.visitors).toEqual({ columns: ['day', 'a', 'b'], rows: [['2026-12-05', 10, 12], ['2026-12-06', 5, 0]] });
    expect(t.rate.rows).toEqual([['2026-12-05', 10, 25], ['2026-12-06', 20, 25]]);
    expect(dailyTables(days, 'REVENUE').rate.rows[0]).toEqual(['2026-12-05', 0.1, 0.25]);
    expect(dailyTables([], 'CONVERSION').visitors).toEqual({ columns: ['day'], rows: [] });

    expect(kpiTable('device', [{ device: 'mobile', visitors: 4, conversionRate: 0.25, aov: 30, revenuePerVisitor: 7.5, ltv: 7.5 }, { device: '', visitors: 1, conversionRate: 0, aov: 0, revenuePerVisitor: 0, ltv: 0 }]).rows)
      .toEqual([['mobile', 4, 25, 30, 7.5, 7.5], ['(unknown)', 1, 0, 0, 0, 0]]);
    expect(funnelTable([{ index: 1, event: 'view', people: 10, conversionRate: 1, dropOff: 0 }, { index: 2, event: 'purchase', people: 3, conversionRate: 0.3, dropOff: 7 }]).rows)
      .toEqual([[1, 'view', 10, 100, 0], [2, 'purchase', 3, 30, 7]]);
  });
});
