// The tables each report chart draws (and downloads as CSV): built from the
// API's answers, rounded once here so the chart, its screen-reader table
// and its CSV hold the same numbers.
import type { Table } from './csv';

// round keeps d decimals, dropping floating-point noise (12.300000000000001).
export const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

type Arm = { key: string; lift?: number | null; ciLow?: number | null; ciHigh?: number | null };

// forestTable has a row per arm with a defined lift: the lift and its
// interval in percent. The control, and arms whose lift cannot be computed,
// have no row.
export function forestTable(arms: Arm[]): Table {
  const rows = arms.filter((a) => a.lift != null && a.ciLow != null && a.ciHigh != null)
    .map((a) => [a.key, round(a.lift! * 100), round(a.ciLow! * 100), round(a.ciHigh! * 100)]);
  return { columns: ['arm', 'lift (%)', 'interval low (%)', 'interval high (%)'], rows };
}

type Cell = { key: string; reach: number; exposures: number };

// reachTable has a row per variant, device or channel: people reached and
// blocks shown.
export function reachTable(by: string, cells: Cell[]): Table {
  return { columns: [by, 'reach', 'exposures'], rows: cells.map((c) => [c.key, c.reach, c.exposures]) };
}

type Outcome = { variant: string; visitors: number; conversions: number; conversionRate: number; revenue: number; aov: number; revenuePerVisitor: number };

// outcomesTable has a row per variant: its conversion rate in percent and
// revenue per visitor (what the outcome chart draws).
export function outcomesTable(outcomes: Outcome[]): Table {
  return {
    columns: ['variant', 'visitors', 'conversions', 'conversion rate (%)', 'revenue', 'aov', 'revenue per visitor'],
    rows: outcomes.map((o) => [o.variant, o.visitors, o.conversions, round(o.conversionRate * 100), round(o.revenue, 2), round(o.aov, 2), round(o.revenuePerVisitor, 4)]),
  };
}

// column picks one numeric column of a table, by name.
export function column(t: Table, name: string): (number | null)[] {
  const i = t.columns.indexOf(name);
  return t.rows.map((r) => (typeof r[i] === 'number' ? (r[i] as number) : null));
}

// pick keeps the named columns of a table, in the order given.
export function pick(t: Table, names: string[]): Table {
  const idx = names.map((n) => t.columns.indexOf(n));
  return { columns: names, rows: t.rows.map((r) => idx.map((i) => r[i])) };
}
