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

type Estimate = { lift?: number | null; ciLow?: number | null; ciHigh?: number | null; pValue?: number | null } | null | undefined;

// liftTable has a row per metric of a campaign's lift against its holdout
// (conversion rate, revenue per visitor) whose lift is defined: the lift,
// its interval in percent and the p-value. names label the rows.
export function liftTable(lift: { conversionRate?: Estimate; revenuePerVisitor?: Estimate }, names: { rate: string; rpv: string }): Table {
  const rows = ([[names.rate, lift.conversionRate], [names.rpv, lift.revenuePerVisitor]] as const)
    .filter(([, e]) => e && e.lift != null && e.ciLow != null && e.ciHigh != null)
    .map(([name, e]) => [name, round(e!.lift! * 100), round(e!.ciLow! * 100), round(e!.ciHigh! * 100), e!.pValue == null ? null : round(e!.pValue, 6)]);
  return { columns: ['metric', 'lift (%)', 'interval low (%)', 'interval high (%)', 'p-value'], rows };
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

type DayArm = { key: string; visitors: number; cumulativeRate: number };
type Day = { day: string; arms: DayArm[] };

// dailyTables are the experiment's daily series: each day's new visitors
// per arm, and each arm's rate so far (cumulative: the line that settles
// as the test runs), in percent for a conversion metric.
export function dailyTables(days: Day[], kind: string): { visitors: Table; rate: Table } {
  const arms = days[0]?.arms.map((a) => a.key) ?? [];
  const scale = kind === 'CONVERSION' ? 100 : 1;
  return {
    visitors: { columns: ['day', ...arms], rows: days.map((d) => [d.day, ...d.arms.map((a) => a.visitors)]) },
    rate: { columns: ['day', ...arms], rows: days.map((d) => [d.day, ...d.arms.map((a) => round(a.cumulativeRate * scale))]) },
  };
}

type KpiCell = { device?: string | null; channel?: string | null; visitors: number; conversionRate: number; aov: number; revenuePerVisitor: number; ltv: number };

// kpiTable has a row per device or channel: visitors, conversion rate in
// percent, AOV, revenue per visitor and LTV. "" (a visitor id delivery never
// decided for) is written as "(unknown)".
export function kpiTable(by: 'device' | 'channel', cells: KpiCell[]): Table {
  return {
    columns: [by, 'visitors', 'conversion rate (%)', 'aov', 'revenue per visitor', 'ltv'],
    rows: cells.map((c) => [(c[by] ?? '') || '(unknown)', c.visitors, round(c.conversionRate * 100), round(c.aov, 2), round(c.revenuePerVisitor, 4), round(c.ltv, 4)]),
  };
}

type Step = { index: number; event: string; people: number; conversionRate: number; dropOff: number; crossDevice?: number };

// funnelTable has a row per step: people who reached it, the share of the
// first step's, and those lost since the step before.
export function funnelTable(steps: Step[]): Table {
  return {
    columns: ['step', 'event', 'people', 'conversion rate (%)', 'drop-off'],
    rows: steps.map((s) => [s.index, s.event, s.people, round(s.conversionRate * 100), s.dropOff]),
  };
}
