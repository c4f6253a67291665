// A stacked bar chart of counts per time bucket (Chart.js through
// react-chartjs-2), with a table fallback for screen readers. Shared by the
// operations panels; the measurement pages can reuse it.
import { Bar } from 'react-chartjs-2';
import { BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { Buckets } from './buckets';

Chart.register(BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const palette: Record<string, string> = { SUCCEEDED: '#2e8b57', FAILED: '#c0392b', PENDING: '#d4a017' };
const fallback = ['#3b6fd8', '#8e44ad', '#16a085', '#e67e22', '#7f8c8d', '#c2185b'];

export function ActivityChart({ data, title }: { data: Buckets; title: string }) {
  const dark = typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches;
  const ink = dark ? '#ecedf0' : '#1b1c1f';
  const grid = dark ? '#3a3e47' : '#dde0e6';
  return (
    <figure className="chart card">
      <figcaption>{title}</figcaption>
      <div style={{ height: 220 }}>
        <Bar
          role="img"
          aria-label={title}
          data={{ labels: data.labels, datasets: data.series.map((s, i) => ({ label: s.name, data: s.counts, backgroundColor: palette[s.name] ?? fallback[i % fallback.length] })) }}
          options={{
            maintainAspectRatio: false, animation: false,
            scales: { x: { stacked: true, ticks: { color: ink, maxRotation: 0, autoSkip: true }, grid: { color: grid } }, y: { stacked: true, beginAtZero: true, ticks: { color: ink, precision: 0 }, grid: { color: grid } } },
            plugins: { legend: { labels: { color: ink } } },
          }}
        />
      </div>
      <table className="sr-only"><caption>{title}</caption><thead><tr><th>time</th>{data.series.map((s) => <th key={s.name}>{s.name}</th>)}</tr></thead>
        <tbody>{data.labels.map((l, i) => <tr key={l}><td>{l}</td>{data.series.map((s) => <td key={s.name}>{s.counts[i]}</td>)}</tr>)}</tbody></table>
    </figure>
  );
}
