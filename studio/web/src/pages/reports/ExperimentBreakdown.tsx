// An experiment's results per device, channel or locale of each visitor's
// first exposure: the same analysis restricted to each value, so a lift
// that only holds on mobile shows, and so does a split that is off in one
// cell only.
import { useI18n } from '../../i18n/i18n';
import { int, pValue, rate, signedPct } from './format';

type Arm = { key: string; visitors: number; conversions: number; rate: number; lift?: number | null; ciLow?: number | null; ciHigh?: number | null; pValue?: number | null; reason?: string | null };
type Cell = { value: string; visitors: number; arms: Arm[]; srm: { warning: boolean; pValue: number } };

export function ExperimentBreakdown({ dimension, cells, kind }: { dimension: string; cells: Cell[]; kind: string }) {
  const { t, lang } = useI18n();
  const title = t('rep.breakdownOf', { dimension: t(`rep.dim.${dimension as 'DEVICE'}`) });
  return (
    <table aria-label={title} id={`breakdown-${dimension.toLowerCase()}`}>
      <caption className="muted" style={{ textAlign: 'left' }}>{title}</caption>
      <thead><tr><th>{t(`rep.dim.${dimension as 'DEVICE'}`)}</th><th>{t('rep.arm')}</th><th className="num">{t('rep.visitors')}</th><th className="num">{t('rep.conversions')}</th>
        <th className="num">{kind === 'CONVERSION' ? t('rep.rate') : t('rep.mean')}</th><th className="num">{t('rep.lift')}</th><th className="num">{t('rep.p')}</th><th>{t('rep.srmShort')}</th></tr></thead>
      <tbody>{cells.flatMap((c) => c.arms.map((a, i) => (
        <tr key={c.value + a.key} data-cell={c.value} data-arm={a.key}>
          {i === 0 && <th scope="rowgroup" rowSpan={c.arms.length}>{c.value || t('rep.unknown')}</th>}
          <td>{a.key}</td>
          <td className="num">{int(lang, a.visitors)}</td>
          <td className="num">{int(lang, a.conversions)}</td>
          <td className="num">{rate(lang, kind, a.rate)}</td>
          <td className="num">{a.lift != null ? `${signedPct(lang, a.lift)}${a.ciLow != null && a.ciHigh != null ? ` (${signedPct(lang, a.ciLow)} … ${signedPct(lang, a.ciHigh)})` : ''}` : <span className="muted">{i === 0 ? t('rep.control') : a.reason}</span>}</td>
          <td className="num">{a.pValue != null ? pValue(lang, a.pValue) : ''}</td>
          {i === 0 && <td rowSpan={c.arms.length}>{c.srm.warning ? <strong className="error">{t('rep.srmOff', { p: pValue(lang, c.srm.pValue) })}</strong> : t('rep.srmFine')}</td>}
        </tr>
      )))}</tbody>
    </table>
  );
}
