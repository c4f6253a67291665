// Counting timestamped items per series per hour or day, for the activity
// charts (webhook deliveries by status, audit actions by kind). Pure; the
// chart only draws it. Buckets are contiguous: an empty hour shows as 0,
// not as a gap the eye reads as "no data".
import { DateTime } from 'luxon';

export type Item = { at: string; series: string };
export type Buckets = { labels: string[]; series: { name: string; counts: number[] }[] };

export function bucketize(items: Item[], unit: 'hour' | 'day', zone = 'local', maxBuckets = 72): Buckets {
  const times = items.map((i) => DateTime.fromISO(i.at, { zone })).filter((d) => d.isValid);
  if (!times.length) return { labels: [], series: [] };
  const last = DateTime.max(...times)!.startOf(unit);
  let first = DateTime.min(...times)!.startOf(unit);
  const span = Math.round(last.diff(first, unit).as(unit));
  if (span >= maxBuckets) first = last.minus({ [unit]: maxBuckets - 1 });
  const n = Math.round(last.diff(first, unit).as(unit)) + 1;
  const labels = Array.from({ length: n }, (_, k) => first.plus({ [unit]: k }).toFormat(unit === 'hour' ? 'dd LLL HH:00' : 'dd LLL'));
  const names = [...new Set(items.map((i) => i.series))].sort();
  const series = names.map((name) => ({ name, counts: new Array<number>(n).fill(0) }));
  items.forEach((it, k) => {
    const t = times[k];
    if (!t) return;
    const idx = Math.round(t.startOf(unit).diff(first, unit).as(unit));
    if (idx < 0 || idx >= n) return;
    series.find((s) => s.name === it.series)!.counts[idx]++;
  });
  return { labels, series };
}
