// A campaign's report: the people it reached (per variant, device and
// channel, with the blocks shown), and with an event, what the people each
// variant reached did: conversion rate, revenue, average order value and
// revenue per visitor, and the lift against the campaign's holdout with
// its interval (CampaignLift). Every chart downloads as CSV.
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { Empty, ErrorNote } from '../../ui/Notes';
import { CampaignLift } from './CampaignLift';
import { ChartCard, CsvButton } from './ChartCard';
import { Bars } from './Charts';
import { int, num, pct } from './format';
import { CampaignReportDoc, ReportCampaignsDoc } from './queries';
import { column, outcomesTable, pick, reachTable } from './tables';

const windows = ['24h', '72h', '7d', '30d'];
const day = (d: string) => (d ? `${d}T00:00:00Z` : null);

export function CampaignReport() {
  const { t, date, lang } = useI18n();
  const [search, setSearch] = useSearchParams();
  const [{ data: list, error: listError }] = useQuery({ query: ReportCampaignsDoc });
  const campaigns = list?.campaigns ?? [];
  const key = search.get('campaign') ?? campaigns[0]?.key ?? '';
  const [event, setEvent] = useState(search.get('event') ?? '');
  const [window, setWindow] = useState('72h');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const vars = useMemo(() => ({ key, event: event.trim() || null, window, from: day(from), to: day(to) }), [key, event, window, from, to]);
  const [{ data, fetching, error }, refetch] = useQuery({ query: CampaignReportDoc, variables: vars, pause: !key });
  const r = data?.campaignReport;
  const events = [...new Set((list?.metrics ?? []).map((m) => m.event))];
  const choose = (k: string) => { const s = new URLSearchParams(search); s.set('campaign', k); setSearch(s); };

  const breakdown = (id: string, by: string, title: string, cells: { key: string; reach: number; exposures: number }[]) => {
    const table = reachTable(by, cells);
    return (
      <ChartCard id={id} title={title} table={table}>
        <Bars label={title} labels={cells.map((c) => c.key)} horizontal
          series={[{ name: t('rep.reach'), values: column(table, 'reach') }, { name: t('rep.exposures'), values: column(table, 'exposures') }]} />
      </ChartCard>
    );
  };
  const outcomes = r ? outcomesTable(r.outcomes) : null;
  const rates = outcomes ? pick(outcomes, ['variant', 'conversion rate (%)']) : null;

  return (
    <div className="stack">
      <ErrorNote error={listError} />
      {list && !campaigns.length && <Empty>{t('campaigns.empty')}</Empty>}
      <form className="card row" aria-label={t('rep.readWith')} onSubmit={(e) => { e.preventDefault(); refetch({ requestPolicy: 'network-only' }); }}>
        <label>{t('rep.campaign')}
          <select name="campaign" value={key} onChange={(e) => choose(e.target.value)}>
            {campaigns.map((c) => <option key={c.key} value={c.key}>{c.name} ({c.key})</option>)}
          </select>
        </label>
        <label>{t('rep.event')}<input name="event" list="report-events" value={event} onChange={(e) => setEvent(e.target.value)} placeholder="purchase" /></label>
        <datalist id="report-events">{events.map((e) => <option key={e} value={e} />)}</datalist>
        <label>{t('rep.window')}
          <select name="window" value={window} onChange={(e) => setWindow(e.target.value)}>{windows.map((w) => <option key={w}>{w}</option>)}</select>
        </label>
        <label>{t('rep.from')}<input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('rep.to')}<input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <button type="submit">{t('rep.refresh')}</button>
      </form>
      {fetching && !r && <Loading />}
      <ErrorNote error={error} />
      {r && (
        <>
          <div className="figures" role="group" aria-label={t('rep.sample')}>
            <div><span className="muted">{t('rep.reachPeople')}</span><strong data-figure="reach">{int(lang, r.reach)}</strong></div>
            {r.cost && <div><span className="muted">{t('rep.cost')}</span><strong data-figure="cost">{num(lang, r.cost.amount, 2)} {r.cost.currency}</strong></div>}
            {r.cpa != null && <div><span className="muted">{t('rep.cpa')}</span><strong data-figure="cpa">{num(lang, r.cpa, 2)} {r.cost?.currency}</strong></div>}
            {r.roas != null && <div><span className="muted">{t('rep.roas')}</span><strong data-figure="roas">{num(lang, r.roas, 2)}×</strong></div>}
            <div><span className="muted">{t('rep.computedAt')}</span><strong>{date(r.computedAt)}</strong></div>
          </div>
          {r.reach === 0 && <Empty>{t('rep.noReach')}</Empty>}
          {r.reach > 0 && (
            <div className="grid2">
              {breakdown('reach-variants', 'variant', t('rep.byVariant'), r.variants)}
              {breakdown('reach-devices', 'device', t('rep.byDevice'), r.devices)}
              {breakdown('reach-channels', 'channel', t('rep.byChannel'), r.channels)}
            </div>
          )}
          {r.event && outcomes && (
            <div className="card stack" id="outcomes">
              <div className="toolbar"><h3 style={{ margin: 0 }}>{t('rep.outcomes', { event: r.event, window: r.window ?? '' })}</h3>
                {r.outcomes.length > 0 && <CsvButton title={t('rep.outcomes', { event: r.event, window: r.window ?? '' })} table={outcomes} />}</div>
              {!r.outcomes.length && <Empty>{t('rep.noOutcomes')}</Empty>}
              {r.outcomes.length > 0 && (
                <>
                  <table aria-label={t('rep.outcomes', { event: r.event, window: r.window ?? '' })}>
                    <thead><tr><th>{t('rep.variant')}</th><th className="num">{t('rep.visitors')}</th><th className="num">{t('rep.conversions')}</th>
                      <th className="num">{t('rep.rate')}</th><th className="num">{t('rep.revenue')}</th><th className="num">{t('rep.aov')}</th><th className="num">{t('rep.rpv')}</th></tr></thead>
                    <tbody>{r.outcomes.map((o) => (
                      <tr key={o.variant} data-variant={o.variant}>
                        <th scope="row">{o.variant}</th>
                        <td className="num" data-col="visitors">{int(lang, o.visitors)}</td>
                        <td className="num" data-col="conversions">{int(lang, o.conversions)}</td>
                        <td className="num" data-col="rate">{pct(lang, o.conversionRate, 2)}</td>
                        <td className="num" data-col="revenue">{num(lang, o.revenue, 2)}</td>
                        <td className="num" data-col="aov">{num(lang, o.aov, 2)}</td>
                        <td className="num" data-col="rpv">{num(lang, o.revenuePerVisitor, 2)}</td>
                      </tr>
                    ))}</tbody>
                  </table>
                  <ChartCard id="outcome-chart" title={t('rep.outcomeChart', { event: r.event })} table={rates!}>
                    <Bars label={t('rep.outcomeChart', { event: r.event })} labels={r.outcomes.map((o) => o.variant)} unit=" %"
                      series={[{ name: t('rep.rate'), values: column(rates!, 'conversion rate (%)') }]} />
                  </ChartCard>
                </>
              )}
            </div>
          )}
          {!r.event && <p className="hint">{t('rep.pickEvent')}</p>}
          <CampaignLift lift={r.lift} holdout={r.holdout} />
        </>
      )}
    </div>
  );
}
