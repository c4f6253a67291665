// One experiment's page: its status with start / stop (experiment.write),
// the metric, significance level and sequential switch the results are
// read with, the sample-ratio and eligibility warnings in plain words, each
// arm's numbers, the lifts with their intervals as a forest plot, the
// daily series, and the results per device, channel or locale.
import { useMemo, useState } from 'react';
import { useMutation } from 'urql';
import { Link } from 'react-router';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useConfirm } from '../../ui/Confirm';
import { Loading } from '../../ui/Loading';
import { Done, Empty, ErrorNote } from '../../ui/Notes';
import { ChartCard } from './ChartCard';
import { ForestPlot } from './Charts';
import { Eligibility } from './Eligibility';
import { int, num, pValue, pct, rate, signedPct, srmWorst } from './format';
import { ExperimentBreakdown } from './ExperimentBreakdown';
import { ExperimentSeries } from './ExperimentSeries';
import { ExperimentDoc, ExperimentResultsDoc, StartExperimentDoc, StopExperimentDoc } from './queries';
import { forestTable } from './tables';

const alphas = [0.01, 0.05, 0.1];
// A date input's day as the instant the API reads its UTC day from.
const day = (d: string) => (d ? `${d}T00:00:00Z` : null);

export function ExperimentDetail({ expKey }: { expKey: string }) {
  const { t, date, lang } = useI18n();
  const { can, me } = useSession();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ExperimentDoc, variables: { key: expKey } });
  const [metric, setMetric] = useState('');
  const [alpha, setAlpha] = useState(0.05);
  const [sequential, setSequential] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [winner, setWinner] = useState('');
  const [rollout, setRollout] = useState(false);
  const [breakdown, setBreakdown] = useState('');
  const [done, setDone] = useState('');
  const [ask, dialog] = useConfirm();
  const [startRes, start] = useMutation(StartExperimentDoc);
  const [stopRes, stop] = useMutation(StopExperimentDoc);
  const x = data?.experiment;
  const metrics = data?.metrics ?? [];
  // The experiment's own metric first, then the first defined.
  const chosen = metric || x?.primaryMetric || metrics[0]?.key || '';
  const vars = useMemo(() => ({ key: expKey, metric: chosen, from: day(from), to: day(to), alpha, sequential,
    breakdown: breakdown ? [breakdown as 'DEVICE' | 'CHANNEL' | 'LOCALE'] : [] }), [expKey, chosen, from, to, alpha, sequential, breakdown]);
  const [res, refetchRes] = useQuery({ query: ExperimentResultsDoc, variables: vars, pause: !chosen || !x });
  const r = res.data?.experimentResults;
  const deny = can('experiment.write') ? undefined : t('common.forbidden', { role: me?.role?.toLowerCase() ?? '' });
  const reload = () => { refetch({ requestPolicy: 'network-only' }); refetchRes({ requestPolicy: 'network-only' }); };

  if (fetching && !data) return <Loading />;
  if (data && !x) return <section><ErrorNote>{t('rep.noSuchExperiment', { key: expKey })}</ErrorNote><Link to="/experiments">{t('nav.experiments')}</Link></section>;
  if (!x) return <ErrorNote error={error} />;

  const onStart = async () => {
    if (!(await ask(t('rep.startConfirm', { name: x.name }), t('rep.start')))) return;
    const out = await start({ key: x.key });
    if (!out.error) { setDone(t('rep.started.done', { name: x.name })); reload(); }
  };
  const onStop = async () => {
    const msg = !winner ? t('rep.stopConfirm', { name: x.name })
      : rollout ? t('rep.stopConfirmRollout', { name: x.name, arm: winner }) : t('rep.stopConfirmWinner', { name: x.name, arm: winner });
    if (!(await ask(msg, t('rep.stop')))) return;
    const out = await stop({ key: x.key, winner: winner || null, rollout: !!winner && rollout });
    if (out.error) return;
    const n = out.data?.stopExperiment.rollout.length ?? 0;
    setDone(n ? t('rep.rolledOut', { name: x.name, arm: winner, count: n }) : t('rep.stopped.done', { name: x.name }));
    reload();
  };

  const forest = r ? forestTable(r.arms) : null;
  const level = `${num(lang, (1 - (r?.alpha ?? alpha)) * 100, 1)} %`;
  const worst = r ? srmWorst(lang, r.arms.map((a) => a.key), r.srm.expectedShare, r.srm.observedShare) : null;
  const total = x.arms.reduce((s, a) => s + a.weight, 0) || 1;

  return (
    <section className="stack">
      <p><Link to="/experiments">{t('nav.experiments')}</Link></p>
      <div className="toolbar">
        <h2 style={{ margin: 0 }}>{x.name} <code>{x.key}</code></h2>
        <span className={`state state-${x.status}`} data-status={x.status}>{t(`rep.status.${x.status}`)}</span>
      </div>
      <ErrorNote error={error ?? startRes.error ?? stopRes.error} />
      <Done>{done}</Done>
      <div className="card stack">
        <p className="muted">
          {t('rep.arms')}: {x.arms.map((a) => `${a.key} ${pct(lang, a.weight / total, 0)}`).join(' · ')} · {t('rep.coverage', { share: pct(lang, x.coverage, 0) })}
          {x.startedAt && <> · {t('rep.startedAt', { at: date(x.startedAt) })}</>}
          {x.stoppedAt && <> · {t('rep.stoppedAt', { at: date(x.stoppedAt) })}</>}
          {x.winner && <> · {t('rep.winner', { arm: x.winner })}</>}
          {x.rollout.length > 0 && <> · {t('rep.rolloutDone', { count: x.rollout.length })}</>}
        </p>
        {(x.primaryMetric || x.guardrailMetrics.length > 0) && (
          <p className="muted">{x.primaryMetric && t('rep.primary', { metric: x.primaryMetric })}{x.primaryMetric && x.guardrailMetrics.length > 0 && ' · '}
            {x.guardrailMetrics.length > 0 && t('rep.guardrails', { list: x.guardrailMetrics.join(', ') })}</p>
        )}
        <div className="actions">
          {x.status === 'DRAFT' && <button type="button" className="primary" disabled={!!deny} title={deny} onClick={onStart}>{t('rep.start')}</button>}
          {x.status !== 'STOPPED' && (
            <>
              <label>{t('rep.winnerPick')}
                <select value={winner} onChange={(e) => setWinner(e.target.value)} disabled={!!deny}>
                  <option value="">{t('rep.noWinner')}</option>
                  {x.arms.map((a) => <option key={a.key} value={a.key}>{a.key}</option>)}
                </select>
              </label>
              <label className="check"><input type="checkbox" name="rollout" checked={rollout && !!winner} disabled={!!deny || !winner || !can('content.publish')}
                title={can('content.publish') ? undefined : t('common.forbidden', { role: me?.role?.toLowerCase() ?? '' })}
                onChange={(e) => setRollout(e.target.checked)} />{t('rep.rollout')}</label>
              <button type="button" className="danger" disabled={!!deny} title={deny} onClick={onStop}>{t('rep.stop')}</button>
            </>
          )}
        </div>
      </div>

      <form className="card row" aria-label={t('rep.readWith')} onSubmit={(e) => e.preventDefault()}>
        <label>{t('rep.metric')}
          <select name="metric" value={chosen} onChange={(e) => setMetric(e.target.value)} disabled={!metrics.length}>
            {metrics.map((m) => <option key={m.key} value={m.key}>{m.name} ({m.key}{m.guardrail ? `, ${t('rep.guardrail')}` : ''})</option>)}
          </select>
        </label>
        <label>{t('rep.alpha')}
          <select name="alpha" value={alpha} onChange={(e) => setAlpha(Number(e.target.value))}>
            {alphas.map((a) => <option key={a} value={a}>{t('rep.alphaOption', { alpha: num(lang, a, 2), level: `${num(lang, (1 - a) * 100, 0)} %` })}</option>)}
          </select>
        </label>
        <label className="check"><input type="checkbox" name="sequential" checked={sequential} onChange={(e) => setSequential(e.target.checked)} />{t('rep.sequential')}</label>
        <label>{t('rep.breakdown')}
          <select name="breakdown" value={breakdown} onChange={(e) => setBreakdown(e.target.value)}>
            <option value="">{t('common.none')}</option>
            {(['DEVICE', 'CHANNEL', 'LOCALE'] as const).map((d) => <option key={d} value={d}>{t(`rep.dim.${d}`)}</option>)}
          </select>
        </label>
        <label>{t('rep.from')}<input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('rep.to')}<input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <button type="button" onClick={reload}>{t('rep.refresh')}</button>
      </form>
      {!metrics.length && <Empty>{t('rep.noMetrics')}</Empty>}
      {res.fetching && !r && <Loading />}
      <ErrorNote error={res.error} />

      {r && (
        <>
          <div className="figures" aria-label={t('rep.sample')} role="group">
            <div><span className="muted">{t('rep.visitors')}</span><strong data-figure="visitors">{int(lang, r.visitors)}</strong></div>
            <div><span className="muted">{t('rep.metric')}</span><strong>{r.metric.name}</strong></div>
            <div><span className="muted">{t('rep.intervals')}</span><strong>{level}{r.sequential ? ` · ${t('rep.sequentialShort')}` : ''}</strong></div>
            <div><span className="muted">{t('rep.computedAt')}</span><strong>{date(r.computedAt)}</strong></div>
          </div>
          {x.plannedSampleSize != null && (
            <p className="muted" id="planned">
              <progress max={x.plannedSampleSize} value={Math.min(r.visitors, x.plannedSampleSize)} aria-label={t('rep.plannedLabel')} />{' '}
              {t('rep.planned', { visitors: int(lang, r.visitors), planned: int(lang, x.plannedSampleSize), share: pct(lang, r.visitors / x.plannedSampleSize, 0) })}
            </p>
          )}

          {r.srm.warning && worst && (
            <div className="alert-box" role="alert" id="srm-warning">
              <p><strong>{t('rep.srm.warning', { arm: worst.arm, got: worst.observed, want: worst.expected })}</strong></p>
              <p>{t('rep.srm.detail', { p: pValue(lang, r.srm.pValue) })}</p>
            </div>
          )}
          {!r.srm.warning && r.srm.tooFewUnits && <p className="muted" id="srm-note">{t('rep.srm.tooFew')}</p>}
          {!r.srm.warning && !r.srm.tooFewUnits && <p className="ok-box" id="srm-note">{t('rep.srm.ok', { p: pValue(lang, r.srm.pValue) })}</p>}
          {r.multipleExposures > 0 && <p className="muted">{t('rep.multiple', { count: int(lang, r.multipleExposures), share: pct(lang, r.multipleExposureShare) })}</p>}

          <table aria-label={t('rep.armsTable')} id="arms">
            <thead><tr>
              <th>{t('rep.arm')}</th><th className="num">{t('rep.visitors')}</th><th className="num">{t('rep.conversions')}</th>
              <th className="num">{r.metric.kind === 'CONVERSION' ? t('rep.rate') : t('rep.mean')}</th><th className="num">{t('rep.lift')}</th>
              <th className="num">{t('rep.interval', { level })}</th><th className="num">{t('rep.chance')}</th><th className="num">{t('rep.loss')}</th><th className="num">{t('rep.p')}</th>
            </tr></thead>
            <tbody>{r.arms.map((a, i) => (
              <tr key={a.key} data-arm={a.key}>
                <th scope="row">{a.key}{i === 0 && <> <span className="tag">{t('rep.control')}</span></>}</th>
                <td className="num" data-col="visitors">{int(lang, a.visitors)}</td>
                <td className="num" data-col="conversions">{int(lang, a.conversions)}</td>
                <td className="num" data-col="rate">{rate(lang, r.metric.kind, a.rate)}</td>
                {a.lift == null ? (
                  <td colSpan={5} className="muted">{i === 0 ? t('rep.controlRow') : a.reason}</td>
                ) : (
                  <>
                    <td className="num" data-col="lift">{signedPct(lang, a.lift)}</td>
                    <td className="num" data-col="interval">{a.ciLow != null && a.ciHigh != null ? `${signedPct(lang, a.ciLow)} … ${signedPct(lang, a.ciHigh)}` : '—'}</td>
                    <td className="num" data-col="chance">{a.chanceToWin != null ? pct(lang, a.chanceToWin) : '—'}</td>
                    <td className="num" data-col="loss">{a.expectedLoss != null ? pct(lang, a.expectedLoss, 2) : '—'}</td>
                    <td className="num" data-col="p">{a.pValue != null ? pValue(lang, a.pValue) : '—'}</td>
                  </>
                )}
              </tr>
            ))}</tbody>
          </table>

          {forest && forest.rows.length > 0 && (
            <ChartCard id="forest" title={t('rep.forestTitle', { level, control: r.arms[0]?.key ?? '' })} table={forest}>
              <ForestPlot label={t('rep.forestTitle', { level, control: r.arms[0]?.key ?? '' })} estimateLabel={t('rep.lift')} intervalLabel={t('rep.interval', { level })}
                rows={forest.rows.map((row) => ({ label: String(row[0]), estimate: row[1] as number, low: row[2] as number, high: row[3] as number }))} />
            </ChartCard>
          )}
          {forest && forest.rows.length === 0 && <Empty>{t('rep.noLift')}</Empty>}
          <ExperimentSeries days={r.daily} kind={r.metric.kind} />
          {r.breakdowns.map((b) => <ExperimentBreakdown key={b.dimension} dimension={b.dimension} cells={b.cells} kind={r.metric.kind} />)}
        </>
      )}

      <Eligibility expKey={x.key} />
      {dialog}
    </section>
  );
}
