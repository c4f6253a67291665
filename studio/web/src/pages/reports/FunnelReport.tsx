// The funnel: ordered steps (event names) within a window of the first,
// how many people reached each and where they dropped off, how many crossed
// devices on the way, and the same per device of the first step.
import { useMemo, useState } from 'react';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { ErrorNote } from '../../ui/Notes';
import { ChartCard } from './ChartCard';
import { Bars } from './Charts';
import { duration, int, pct } from './format';
import { FunnelDoc } from './queries';
import { column, funnelTable, round } from './tables';
import type { Table } from './csv';

const windows = ['30m', '2h', '24h', '7d', '30d'];
const day = (d: string) => (d ? `${d}T00:00:00Z` : null);
const parseSteps = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

export function FunnelReport() {
  const { t, date, lang } = useI18n();
  const [text, setText] = useState('view, purchase');
  const [steps, setSteps] = useState(parseSteps('view, purchase'));
  const [window, setWindow] = useState('24h');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const vars = useMemo(() => ({ steps, window, from: day(from), to: day(to), breakdown: ['DEVICE' as const] }), [steps, window, from, to]);
  const [{ data, fetching, error }] = useQuery({ query: FunnelDoc, variables: vars, pause: steps.length < 2 });
  const f = data?.funnel;
  const table = f ? funnelTable(f.total.steps) : null;
  // Per device: each step's share of that device's first step, a column per device.
  const byDevice: Table | null = f ? {
    columns: ['step', 'event', ...f.groups.map((g) => g.device || '(unknown)')],
    rows: f.steps.map((ev, i) => [i + 1, ev, ...f.groups.map((g) => round((g.steps[i]?.conversionRate ?? 0) * 100))]),
  } : null;

  return (
    <div className="stack">
      <form className="card row" aria-label={t('rep.readWith')} onSubmit={(e) => { e.preventDefault(); setSteps(parseSteps(text)); }}>
        <label style={{ minWidth: 320 }}>{t('rep.funnel.steps')}<input name="steps" value={text} onChange={(e) => setText(e.target.value)} aria-describedby="steps-hint" /></label>
        <label>{t('rep.funnel.window')}
          <select name="window" value={window} onChange={(e) => setWindow(e.target.value)}>{windows.map((w) => <option key={w}>{w}</option>)}</select>
        </label>
        <label>{t('rep.from')}<input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('rep.to')}<input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <button type="submit">{t('rep.funnel.show')}</button>
        <p className="hint" id="steps-hint">{t('rep.funnel.hint')}</p>
      </form>
      {steps.length < 2 && <ErrorNote>{t('rep.funnel.two')}</ErrorNote>}
      {fetching && !data && <Loading />}
      <ErrorNote error={error} />
      {f && table && byDevice && (
        <>
          <div className="figures" role="group" aria-label={t('rep.sample')} id="funnel-total">
            <div><span className="muted">{t('rep.funnel.entered')}</span><strong data-figure="people">{int(lang, f.total.people)}</strong></div>
            <div><span className="muted">{t('rep.funnel.completed')}</span><strong data-figure="completed">{pct(lang, f.total.steps[f.total.steps.length - 1]?.conversionRate ?? 0, 1)}</strong></div>
            <div><span className="muted">{t('rep.funnel.crossDevice')}</span><strong data-figure="cross">{int(lang, f.total.crossDevice)} ({pct(lang, f.total.crossDeviceShare, 0)})</strong></div>
            <div><span className="muted">{t('rep.computedAt')}</span><strong>{date(f.computedAt)}</strong></div>
          </div>
          <ChartCard id="funnel" title={t('rep.funnel.chart', { window: f.window })} table={table}>
            <Bars label={t('rep.funnel.chart', { window: f.window })} labels={f.total.steps.map((s) => `${s.index}. ${s.event}`)}
              series={[{ name: t('rep.funnel.people'), values: column(table, 'people') }, { name: t('rep.funnel.dropOff'), values: column(table, 'drop-off') }]} />
          </ChartCard>
          <table aria-label={t('rep.funnel.steps')} id="funnel-steps">
            <thead><tr><th>{t('rep.funnel.step')}</th><th className="num">{t('rep.funnel.people')}</th><th className="num">{t('rep.funnel.ofFirst')}</th><th className="num">{t('rep.funnel.ofPrevious')}</th>
              <th className="num">{t('rep.funnel.dropOff')}</th><th className="num">{t('rep.funnel.crossDevice')}</th><th className="num">{t('rep.funnel.median')}</th></tr></thead>
            <tbody>{f.total.steps.map((s) => (
              <tr key={s.index} data-step={s.index}>
                <th scope="row">{s.index}. {s.event}</th>
                <td className="num" data-col="people">{int(lang, s.people)}</td>
                <td className="num" data-col="rate">{pct(lang, s.conversionRate, 1)}</td>
                <td className="num">{pct(lang, s.stepRate, 1)}</td>
                <td className="num" data-col="dropoff">{int(lang, s.dropOff)}{s.index > 1 ? ` (${pct(lang, s.dropOffRate, 0)})` : ''}</td>
                <td className="num" data-col="cross">{int(lang, s.crossDevice)}</td>
                <td className="num">{s.medianSecondsFromPrevious != null ? duration(lang, s.medianSecondsFromPrevious) : '—'}</td>
              </tr>
            ))}</tbody>
          </table>
          {f.groups.length > 0 && (
            <ChartCard id="funnel-devices" title={t('rep.funnel.byDevice')} table={byDevice}>
              <Bars label={t('rep.funnel.byDevice')} labels={f.steps.map((s, i) => `${i + 1}. ${s}`)} unit=" %"
                series={f.groups.map((g, i) => ({ name: g.device || t('rep.unknown'), values: column(byDevice, byDevice.columns[i + 2]) }))} />
            </ChartCard>
          )}
        </>
      )}
    </div>
  );
}
