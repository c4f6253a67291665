// An experiment's daily series: each day's new visitors per arm, and each
// arm's rate so far (it settles as the test runs; a line still swinging
// says it is too early to read the result).
import { useI18n } from '../../i18n/i18n';
import { ChartCard } from './ChartCard';
import { Bars, Lines } from './Charts';
import { dailyTables } from './tables';

type Day = { day: string; arms: { key: string; visitors: number; cumulativeRate: number }[] };

export function ExperimentSeries({ days, kind }: { days: Day[]; kind: string }) {
  const { t } = useI18n();
  if (!days.length) return null;
  const { visitors, rate } = dailyTables(days, kind);
  const arms = visitors.columns.slice(1);
  const series = (tbl: typeof visitors) => arms.map((a, i) => ({ name: a, values: tbl.rows.map((r) => r[i + 1] as number) }));
  const labels = days.map((d) => d.day);
  const rateTitle = kind === 'CONVERSION' ? t('rep.dailyRate') : t('rep.dailyMean');
  return (
    <div className="grid2">
      <ChartCard id="daily-visitors" title={t('rep.dailyVisitors')} table={visitors}>
        <Bars label={t('rep.dailyVisitors')} labels={labels} series={series(visitors)} />
      </ChartCard>
      <ChartCard id="daily-rate" title={rateTitle} table={rate}>
        <Lines label={rateTitle} labels={labels} series={series(rate)} unit={kind === 'CONVERSION' ? ' %' : ''} />
      </ChartCard>
    </div>
  );
}
