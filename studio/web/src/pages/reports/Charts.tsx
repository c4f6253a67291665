// The report pages' Chart.js charts (through react-chartjs-2): a forest
// plot of lifts with their intervals, grouped bars, and lines over days.
// Each draws a Table (csv.ts) and is wrapped in a ChartCard by its page.
import { Bar, Chart as ChartView, Line } from 'react-chartjs-2';
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineElement, PointElement, ScatterController, Tooltip,
} from 'chart.js';
import { palette, useChartInk } from './ChartCard';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineElement, PointElement, ScatterController, Legend, Tooltip);

export type Interval = { label: string; estimate: number; low: number; high: number };

// ForestPlot draws each arm's lift (a point) and its interval (a bar from
// low to high), in percent, on one horizontal axis through zero: an
// interval that crosses zero has not shown a difference.
export function ForestPlot({ rows, label, estimateLabel, intervalLabel }: { rows: Interval[]; label: string; estimateLabel: string; intervalLabel: string }) {
  const { ink, grid, zero } = useChartInk();
  const labels = rows.map((r) => r.label);
  const data = {
    labels,
    datasets: [
      { type: 'bar' as const, label: intervalLabel, data: rows.map((r) => [r.low, r.high] as [number, number]), backgroundColor: '#3b6fd866', borderColor: '#3b6fd8', borderWidth: 1, barThickness: 10 },
      { type: 'scatter' as const, label: estimateLabel, data: rows.map((r) => ({ x: r.estimate, y: r.label })), backgroundColor: '#e67e22', borderColor: '#e67e22', pointRadius: 6, pointStyle: 'rectRot' as const },
    ],
  };
  return (
    <div style={{ height: 60 + 44 * rows.length }}>
      <ChartView
        type="bar"
        role="img"
        aria-label={label}
        data={data as never}
        options={{
          indexAxis: 'y', maintainAspectRatio: false, animation: false,
          scales: {
            x: { type: 'linear', ticks: { color: ink, callback: (v) => `${v} %` }, grid: { color: (c) => (c.tick?.value === 0 ? zero : grid), lineWidth: (c) => (c.tick?.value === 0 ? 2 : 1) } },
            y: { type: 'category', ticks: { color: ink }, grid: { color: grid } },
          },
          plugins: { legend: { labels: { color: ink } } },
        }}
      />
    </div>
  );
}

export type Series = { name: string; values: (number | null)[] };

// Bars draws one bar per label for each series (grouped, not stacked).
export function Bars({ labels, series, label, unit = '', horizontal = false }: { labels: string[]; series: Series[]; label: string; unit?: string; horizontal?: boolean }) {
  const { ink, grid } = useChartInk();
  return (
    <div style={{ height: horizontal ? 60 + 36 * labels.length * Math.max(1, series.length) : 240 }}>
      <Bar
        role="img"
        aria-label={label}
        data={{ labels, datasets: series.map((s, i) => ({ label: s.name, data: s.values, backgroundColor: palette[i % palette.length], maxBarThickness: 48 })) }}
        options={{
          indexAxis: horizontal ? 'y' : 'x', maintainAspectRatio: false, animation: false,
          // The value axis gets the unit; the category axis keeps its
          // labels (a callback there, even undefined, would print indexes).
          scales: horizontal ? {
            x: { beginAtZero: true, ticks: { color: ink, callback: (v) => `${v}${unit}` }, grid: { color: grid } },
            y: { ticks: { color: ink }, grid: { color: grid } },
          } : {
            x: { ticks: { color: ink }, grid: { color: grid } },
            y: { beginAtZero: true, ticks: { color: ink, callback: (v) => `${v}${unit}` }, grid: { color: grid } },
          },
          plugins: { legend: { labels: { color: ink } } },
        }}
      />
    </div>
  );
}

// Lines draws series over labels (days).
export function Lines({ labels, series, label, unit = '' }: { labels: string[]; series: Series[]; label: string; unit?: string }) {
  const { ink, grid } = useChartInk();
  return (
    <div style={{ height: 240 }}>
      <Line
        role="img"
        aria-label={label}
        data={{ labels, datasets: series.map((s, i) => ({ label: s.name, data: s.values, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], spanGaps: true })) }}
        options={{
          maintainAspectRatio: false, animation: false,
          scales: { x: { ticks: { color: ink }, grid: { color: grid } }, y: { beginAtZero: true, ticks: { color: ink, callback: (v) => `${v}${unit}` }, grid: { color: grid } } },
          plugins: { legend: { labels: { color: ink } } },
        }}
      />
    </div>
  );
}
