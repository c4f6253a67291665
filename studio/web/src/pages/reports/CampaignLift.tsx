// A campaign's lift against its holdout (holdout.graphqls): the people
// shown the campaign and the people held out, side by side, the relative
// lift of the conversion rate and revenue per visitor with their 95 %
// intervals (a forest plot through zero, downloadable as CSV), and the
// report's note in plain words when the lift cannot be read yet.
import { useI18n } from '../../i18n/i18n';
import { ChartCard } from './ChartCard';
import { ForestPlot } from './Charts';
import { int, num, pct, pValue, signedPct } from './format';
import { liftTable } from './tables';

type Group = { visitors: number; conversions: number; conversionRate?: number | null; revenue: number; revenuePerVisitor?: number | null };
type Estimate = { lift?: number | null; ciLow?: number | null; ciHigh?: number | null; pValue?: number | null; significant: boolean; reason?: string | null };
export type Lift = {
  observedHoldoutShare?: number | null;
  note?: string | null;
  exposed: Group;
  heldOut: Group;
  conversionRate?: Estimate | null;
  revenuePerVisitor?: Estimate | null;
};

export function CampaignLift({ lift, holdout }: { lift: Lift; holdout: number }) {
  const { t, lang } = useI18n();
  const share = pct(lang, holdout);
  const table = liftTable(lift, { rate: t('hold.rate'), rpv: t('hold.rpv') });
  const title = t('hold.title', { share });
  const row = (name: string, g: Group, key: string) => (
    <tr data-group={key}>
      <th scope="row">{name}</th>
      <td className="num" data-col="visitors">{int(lang, g.visitors)}</td>
      <td className="num" data-col="conversions">{int(lang, g.conversions)}</td>
      <td className="num" data-col="rate">{g.conversionRate != null ? pct(lang, g.conversionRate, 2) : '—'}</td>
      <td className="num" data-col="rpv">{g.revenuePerVisitor != null ? num(lang, g.revenuePerVisitor, 2) : '—'}</td>
    </tr>
  );
  const estimate = (name: string, e: Estimate | null | undefined, key: string) => e && (
    <tr data-lift={key}>
      <th scope="row">{name}</th>
      {e.lift == null ? <td colSpan={3} className="muted">{e.reason}</td> : (
        <>
          <td className="num" data-col="lift">{signedPct(lang, e.lift)}</td>
          <td className="num" data-col="interval">{e.ciLow != null && e.ciHigh != null ? `${signedPct(lang, e.ciLow)} … ${signedPct(lang, e.ciHigh)}` : '—'}</td>
          <td className="num" data-col="p">{e.pValue != null ? pValue(lang, e.pValue) : '—'}
            {' '}<span className="muted">({e.significant ? t('hold.significant') : t('hold.notSignificant')})</span></td>
        </>
      )}
    </tr>
  );
  return (
    <section className="card stack" id="lift" aria-labelledby="lift-title">
      <h3 id="lift-title" style={{ margin: 0 }}>{title}</h3>
      {lift.note && <p className="alert-box" role="note" data-lift-note>{lift.note}</p>}
      {lift.observedHoldoutShare != null && (
        <p className="muted" data-observed>{t('hold.observed', { observed: pct(lang, lift.observedHoldoutShare), share })}</p>
      )}
      <table aria-label={t('hold.group')}>
        <thead><tr><th>{t('hold.group')}</th><th className="num">{t('rep.visitors')}</th><th className="num">{t('rep.conversions')}</th>
          <th className="num">{t('rep.rate')}</th><th className="num">{t('rep.rpv')}</th></tr></thead>
        <tbody>
          {row(t('hold.exposed'), lift.exposed, 'exposed')}
          {row(t('hold.heldOut'), lift.heldOut, 'heldOut')}
        </tbody>
      </table>
      {(lift.conversionRate || lift.revenuePerVisitor) && (
        <table aria-label={title}>
          <thead><tr><th>{t('hold.metric')}</th><th className="num">{t('rep.lift')}</th><th className="num">{t('rep.interval', { level: '95 %' })}</th><th className="num">{t('rep.p')}</th></tr></thead>
          <tbody>
            {estimate(t('hold.rate'), lift.conversionRate, 'rate')}
            {estimate(t('hold.rpv'), lift.revenuePerVisitor, 'rpv')}
          </tbody>
        </table>
      )}
      {table.rows.length > 0 && (
        <ChartCard id="lift-chart" title={t('hold.plot')} table={table}>
          <ForestPlot label={t('hold.plot')} estimateLabel={t('rep.lift')} intervalLabel={t('rep.interval', { level: '95 %' })}
            rows={table.rows.map((r) => ({ label: String(r[0]), estimate: r[1] as number, low: r[2] as number, high: r[3] as number }))} />
        </ChartCard>
      )}
    </section>
  );
}
