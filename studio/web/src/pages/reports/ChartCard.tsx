// A chart in a card: its title, the chart, a "Download CSV" button and a
// table for screen readers. All three come from one Table (csv.ts), so the
// CSV a marketer downloads is exactly the data the chart draws.
import { useSyncExternalStore, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { csvName, downloadCSV, type Table } from './csv';

export function ChartCard({ title, table, children, id }: { title: string; table: Table; children: ReactNode; id?: string }) {
  return (
    <figure className="chart card" id={id} data-chart={id}>
      <figcaption className="toolbar">
        <span>{title}</span>
        <CsvButton title={title} table={table} />
      </figcaption>
      <div className="chart-area">{children}</div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead><tr>{table.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
        <tbody>{table.rows.map((r, i) => <tr key={i}>{table.columns.map((c, j) => <td key={c}>{r[j] ?? ''}</td>)}</tr>)}</tbody>
      </table>
    </figure>
  );
}

// CsvButton downloads table as <title>.csv.
export function CsvButton({ title, table }: { title: string; table: Table }) {
  const { t } = useI18n();
  return <button type="button" onClick={() => downloadCSV(table, csvName(title))} aria-label={t('rep.csvOf', { title })}>{t('rep.csv')}</button>;
}

// useChartInk gives charts the page's text and grid colours, following
// the system's light or dark scheme as it changes (canvas colours do not
// follow CSS, so the chart re-renders with new ones).
const darkQuery = '(prefers-color-scheme: dark)';
function subscribe(onChange: () => void) {
  if (typeof matchMedia === 'undefined') return () => undefined;
  const m = matchMedia(darkQuery);
  m.addEventListener('change', onChange);
  return () => m.removeEventListener('change', onChange);
}
const isDark = () => typeof matchMedia !== 'undefined' && matchMedia(darkQuery).matches;

export function useChartInk() {
  const dark = useSyncExternalStore(subscribe, isDark, () => false);
  return { ink: dark ? '#ecedf0' : '#1b1c1f', grid: dark ? '#3a3e47' : '#dde0e6', zero: dark ? '#b3b8c3' : '#4d5360' };
}

export const palette = ['#3b6fd8', '#e67e22', '#16a085', '#8e44ad', '#c2185b', '#7f8c8d'];
