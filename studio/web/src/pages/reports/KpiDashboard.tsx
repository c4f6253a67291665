// The KPI dashboard: site-wide conversion rate, AOV, revenue per visitor,
// LTV and time to conversion over a range, and the same per device and per
// channel, each as a chart and a table that download as CSV.
import { useMemo, useState } from 'react';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { ErrorNote } from '../../ui/Notes';
import { ChartCard, CsvButton } from './ChartCard';
import { Bars } from './Charts';
import { duration, int, num, pct } from './format';
import { KpisDoc } from './queries';
import { column, kpiTable, pick } from './tables';

const day = (d: string) => (d ? `${d}T00:00:00Z` : null);

export function KpiDashboard() {
  const { t, date, lang } = useI18n();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [goal, setGoal] = useState('');
  const vars = useMemo(() => ({ from: day(from), to: day(to), goal: goal.trim() || null }), [from, to, goal]);
  const [{ data, fetching, error }, refetch] = useQuery({ query: KpisDoc, variables: vars });
  const k = data?.byDevice;
  const total = k?.total;

  const section = (by: 'device' | 'channel', cells: NonNullable<typeof k>['cells']) => {
    const full = kpiTable(by, cells);
    const rates = pick(full, [by, 'conversion rate (%)']);
    const title = by === 'device' ? t('rep.kpi.byDevice') : t('rep.kpi.byChannel');
    const chartTitle = by === 'device' ? t('rep.kpi.rateByDevice') : t('rep.kpi.rateByChannel');
    return (
      <div className="card stack" id={`kpi-${by}`}>
        <div className="toolbar"><h3 style={{ margin: 0 }}>{title}</h3><CsvButton title={title} table={full} /></div>
        <div className="scroll"><table aria-label={title}>
          <thead><tr><th>{t(by === 'device' ? 'rep.dim.DEVICE' : 'rep.dim.CHANNEL')}</th><th className="num">{t('rep.visitors')}</th><th className="num">{t('rep.rate')}</th>
            <th className="num">{t('rep.aov')}</th><th className="num">{t('rep.rpv')}</th><th className="num">{t('rep.ltv')}</th><th className="num">{t('rep.ttcMedian')}</th></tr></thead>
          <tbody>{cells.map((c) => {
            const v = (by === 'device' ? c.device : c.channel) ?? '';
            return (
              <tr key={v} data-cell={v}>
                <th scope="row">{v || t('rep.unknown')}</th>
                <td className="num" data-col="visitors">{int(lang, c.visitors)}</td>
                <td className="num" data-col="rate">{pct(lang, c.conversionRate, 2)}</td>
                <td className="num" data-col="aov">{num(lang, c.aov, 2)}</td>
                <td className="num" data-col="rpv">{num(lang, c.revenuePerVisitor, 2)}</td>
                <td className="num" data-col="ltv">{num(lang, c.ltv, 2)}</td>
                <td className="num">{c.timeToConversion.medianSeconds != null ? duration(lang, c.timeToConversion.medianSeconds) : '—'}</td>
              </tr>
            );
          })}</tbody>
        </table></div>
        {cells.length > 0 && (
          <ChartCard id={`kpi-rate-${by}`} title={chartTitle} table={rates}>
            <Bars label={chartTitle} labels={rates.rows.map((r) => String(r[0]))} unit=" %" series={[{ name: t('rep.rate'), values: column(rates, 'conversion rate (%)') }]} />
          </ChartCard>
        )}
      </div>
    );
  };

  return (
    <div className="stack">
      <form className="card row" aria-label={t('rep.readWith')} onSubmit={(e) => { e.preventDefault(); refetch({ requestPolicy: 'network-only' }); }}>
        <label>{t('rep.from')}<input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('rep.to')}<input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <label>{t('rep.goal')}<input name="goal" value={goal} onChange={(e) => setGoal(e.target.value)} placeholder={t('rep.anyGoal')} /></label>
        <button type="submit">{t('rep.refresh')}</button>
      </form>
      {fetching && !data && <Loading />}
      <ErrorNote error={error} />
      {k && total && (
        <>
          <p className="muted">{t('rep.kpi.range', { from: k.from.slice(0, 10), to: k.to.slice(0, 10) })} · {t('rep.computedAt')} {date(k.computedAt)}</p>
          <div className="figures" role="group" aria-label={t('rep.kpi.total')} id="kpi-total">
            <div><span className="muted">{t('rep.visitors')}</span><strong data-figure="visitors">{int(lang, total.visitors)}</strong></div>
            <div><span className="muted">{t('rep.rate')}</span><strong data-figure="rate">{pct(lang, total.conversionRate, 2)}</strong></div>
            <div><span className="muted">{t('rep.aov')}</span><strong data-figure="aov">{num(lang, total.aov, 2)}</strong></div>
            <div><span className="muted">{t('rep.rpv')}</span><strong data-figure="rpv">{num(lang, total.revenuePerVisitor, 2)}</strong></div>
            <div><span className="muted">{t('rep.ltv')}</span><strong data-figure="ltv">{num(lang, total.ltv, 2)}</strong></div>
            <div><span className="muted">{t('rep.ttcMedian')}</span><strong>{total.timeToConversion.medianSeconds != null ? duration(lang, total.timeToConversion.medianSeconds) : '—'}</strong></div>
            <div><span className="muted">{t('rep.ttcP90')}</span><strong>{total.timeToConversion.p90Seconds != null ? duration(lang, total.timeToConversion.p90Seconds) : '—'}</strong></div>
          </div>
          {section('device', k.cells)}
          {section('channel', data?.byChannel.cells ?? [])}
        </>
      )}
    </div>
  );
}
