// Audiences and experiments: segments with a CEL rule editor that the
// server validates as you type (validateSegmentRule, debounced; problems
// with line and column), and experiments with arms, weights and holdout.
// There is no visitor store to count matches against, so no estimate is
// made up: the page says so.
import '../pages2.css';
import { useEffect, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { doc, graphql } from '../../api/doc';
import type { ValidateRuleQuery } from '../../gql/graphql';
import { capFromStored, capErrors, type CapDraft } from '../variants/cap';
import { CapEditor } from '../variants/CapEditor';
import { experimentInput, type ExperimentInitial } from './experiment';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useConfirm } from '../../ui/Confirm';
import { Loading } from '../../ui/Loading';
import { Done, Empty, ErrorNote } from '../../ui/Notes';

const AudiencesDoc = doc(graphql(`
  query Audiences { segments { key name rule version updatedAt updatedBy } experiments { key name holdout version arms { key weight } updatedAt
    primaryMetric guardrailMetrics plannedSampleSize cap { max per timeZone perChannel } } }
`));
// Apart from the page's query: without measurement configured the metrics
// query fails, and the page must still work (then metrics are typed keys
// kept as read).
const MetricKeysDoc = doc(graphql(`query MetricKeys { metrics { key name } }`));
const ValidateRuleDoc = doc(graphql(`query ValidateRule($rule: String!) { validateSegmentRule(rule: $rule) { valid problems { line column message } } }`));
const CreateSegmentDoc = doc(graphql(`mutation CreateSegmentStudio($input: SegmentInput!) { createSegment(input: $input) { key version } }`));
const UpdateSegmentDoc = doc(graphql(`mutation UpdateSegmentStudio($input: SegmentInput!, $v: Int!) { updateSegment(input: $input, expectedVersion: $v) { key version } }`));
const DeleteSegmentDoc = doc(graphql(`mutation DeleteSegmentStudio($key: String!) { deleteSegment(key: $key) }`));
const CreateExperimentDoc = doc(graphql(`mutation CreateExperimentStudio($input: ExperimentInput!) { createExperiment(input: $input) { key version } }`));
const UpdateExperimentDoc = doc(graphql(`mutation UpdateExperimentStudio($input: ExperimentInput!, $v: Int!) { updateExperiment(input: $input, expectedVersion: $v) { key version } }`));
const DeleteExperimentDoc = doc(graphql(`mutation DeleteExperimentStudio($key: String!) { deleteExperiment(key: $key) }`));

type Validation = ValidateRuleQuery['validateSegmentRule'];

// useRuleCheck asks the server about rule 300 ms after the last keystroke.
function useRuleCheck(rule: string): Validation | null {
  const client = useClient();
  const [v, setV] = useState<Validation | null>(null);
  useEffect(() => {
    if (!rule.trim()) { setV(null); return; }
    let live = true;
    const timer = setTimeout(async () => {
      const res = await client.query(ValidateRuleDoc, { rule }, { requestPolicy: 'network-only' }).toPromise();
      if (live && res.data) setV(res.data.validateSegmentRule);
    }, 300);
    return () => { live = false; clearTimeout(timer); };
  }, [rule, client]);
  return v;
}

function SegmentEditor({ initial, onSaved }: { initial?: { key: string; name: string; rule?: string | null; version: number }; onSaved: (msg: string) => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState(initial?.key ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [rule, setRule] = useState(initial?.rule ?? '');
  const check = useRuleCheck(rule);
  const [cRes, create] = useMutation(CreateSegmentDoc);
  const [uRes, update] = useMutation(UpdateSegmentDoc);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = { key, name, rule: rule.trim() || null };
    const res = initial ? await update({ input, v: initial.version }) : await create({ input });
    if (!res.error) onSaved(t('aud.segmentSaved', { key }));
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="seg-form">
      <h3 id="seg-form">{initial ? t('aud.editSegment', { key }) : t('aud.newSegment')}</h3>
      <div className="row">
        <label>{t('model.key')}<input name="segmentKey" required disabled={!!initial} value={key} onChange={(e) => setKey(e.target.value)} /></label>
        <label>{t('model.name')}<input name="segmentName" required value={name} onChange={(e) => setName(e.target.value)} /></label>
      </div>
      <label>{t('aud.rule')}<textarea name="rule" rows={4} spellCheck={false} className="code" value={rule} onChange={(e) => setRule(e.target.value)}
        aria-invalid={check ? !check.valid : undefined} aria-describedby="rule-status" placeholder='traits.visits > 3 && context.device == "mobile"' /></label>
      <div id="rule-status" aria-live="polite">
        {!rule.trim() && <p className="muted">{t('aud.explicitOnly')}</p>}
        {check?.valid && <p className="done" data-rule="valid">{t('aud.ruleOk')}</p>}
        {check && !check.valid && <ul className="error" data-rule="invalid">{check.problems.map((p, i) => (
          <li key={i}>{p.line != null ? t('aud.at', { line: p.line, column: p.column ?? 0 }) : ''}{p.message}</li>
        ))}</ul>}
      </div>
      <p className="muted">{t('aud.noEstimate')}</p>
      <ErrorNote error={cRes.error ?? uRes.error} />
      <div className="actions"><button type="submit">{t('common.save')}</button></div>
    </form>
  );
}

function ExperimentEditor({ initial, metrics, onSaved }: { initial?: ExperimentInitial; metrics: { key: string; name: string }[]; onSaved: (msg: string) => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState(initial?.key ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [holdout, setHoldout] = useState(initial?.holdout ?? 0);
  const [arms, setArms] = useState(initial?.arms.map((a) => ({ ...a })) ?? [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }]);
  const [primary, setPrimary] = useState(initial?.primaryMetric ?? '');
  const [guardrails, setGuardrails] = useState<string[]>(initial?.guardrailMetrics ?? []);
  const [planned, setPlanned] = useState(initial?.plannedSampleSize == null ? '' : String(initial.plannedSampleSize));
  const [cap, setCap] = useState<CapDraft | null>(capFromStored(initial?.cap));
  const [cRes, create] = useMutation(CreateExperimentDoc);
  const [uRes, update] = useMutation(UpdateExperimentDoc);
  const total = arms.reduce((s, a) => s + (a.weight > 0 ? a.weight : 0), 0);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = experimentInput({ key, name, holdout, arms }, initial,
      { primaryMetric: primary || null, guardrailMetrics: guardrails, plannedSampleSize: planned.trim() === '' ? null : Number(planned), cap });
    const res = initial ? await update({ input, v: initial.version }) : await create({ input });
    if (!res.error) onSaved(t('aud.experimentSaved', { key }));
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="exp-form">
      <h3 id="exp-form">{initial ? t('aud.editExperiment', { key }) : t('aud.newExperiment')}</h3>
      <div className="row">
        <label>{t('model.key')}<input name="experimentKey" required disabled={!!initial} value={key} onChange={(e) => setKey(e.target.value)} /></label>
        <label>{t('model.name')}<input name="experimentName" required value={name} onChange={(e) => setName(e.target.value)} /></label>
        <label>{t('aud.holdout')}<input name="holdout" type="number" min={0} max={0.99} step={0.01} value={holdout} onChange={(e) => setHoldout(Number(e.target.value))} /></label>
      </div>
      <table><thead><tr><th>{t('aud.arm')}</th><th>{t('aud.weight')}</th><th>{t('aud.share')}</th><th><span className="sr-only">{t('cal.actions')}</span></th></tr></thead>
        <tbody>{arms.map((a, i) => (
          <tr key={i}>
            <td><input aria-label={t('aud.arm')} value={a.key} required onChange={(e) => setArms(arms.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} /></td>
            <td><input aria-label={t('aud.weight')} type="number" min={0} step="any" value={a.weight} onChange={(e) => setArms(arms.map((x, j) => (j === i ? { ...x, weight: Number(e.target.value) } : x)))} /></td>
            <td>{total > 0 ? `${(((a.weight > 0 ? a.weight : 0) / total) * (1 - holdout) * 100).toFixed(1)} %` : '—'}</td>
            <td><button type="button" onClick={() => setArms(arms.filter((_, j) => j !== i))} disabled={arms.length <= 1}>{t('common.remove')}</button></td>
          </tr>
        ))}</tbody>
      </table>
      <div className="row">
        <label>{t('exp.primary')}<select name="primaryMetric" value={primary} onChange={(e) => setPrimary(e.target.value)}>
          <option value="">{t('common.none')}</option>
          {[...new Set([...metrics.map((m) => m.key), ...(primary ? [primary] : [])])].map((k) => <option key={k} value={k}>{k}</option>)}
        </select></label>
        <label>{t('exp.guardrails')}<select name="guardrailMetrics" multiple value={guardrails} size={Math.min(4, Math.max(2, metrics.length))}
          onChange={(e) => setGuardrails([...e.target.selectedOptions].map((o) => o.value))}>
          {[...new Set([...metrics.map((m) => m.key), ...guardrails])].map((k) => <option key={k} value={k}>{k}</option>)}
        </select></label>
        <label>{t('exp.planned')}<input name="plannedSampleSize" type="number" min={1} value={planned} onChange={(e) => setPlanned(e.target.value)} style={{ width: 120 }} /></label>
      </div>
      <CapEditor cap={cap} onChange={setCap} errors={capErrors(cRes.error ?? uRes.error)} />
      <p className="muted">{t('aud.holdoutShare', { share: (holdout * 100).toFixed(1) })}</p>
      <div className="actions"><button type="button" onClick={() => setArms([...arms, { key: '', weight: 1 }])}>{t('aud.addArm')}</button>
        <button type="submit">{t('common.save')}</button></div>
      <ErrorNote error={cRes.error ?? uRes.error} />
    </form>
  );
}

export default function AudiencesPage() {
  const { t, date } = useI18n();
  const { can } = useSession();
  const [{ data, fetching, error }, refetch] = useQuery({ query: AudiencesDoc });
  const [{ data: metricKeys }] = useQuery({ query: MetricKeysDoc });
  const [dsRes, delSeg] = useMutation(DeleteSegmentDoc);
  const [deRes, delExp] = useMutation(DeleteExperimentDoc);
  const [ask, dialog] = useConfirm();
  const [done, setDone] = useState('');
  const [seg, setSeg] = useState<string | null>(null);
  const [exp, setExp] = useState<string | null>(null);
  const saved = (msg: string) => { setDone(msg); setSeg(null); setExp(null); refetch({ requestPolicy: 'network-only' }); };
  const segment = data?.segments.find((s) => s.key === seg);
  const experiment = data?.experiments.find((x) => x.key === exp);
  return (
    <section className="stack">
      <h2>{t('nav.audiences')}</h2>
      {fetching && !data && <Loading />}
      <ErrorNote error={error ?? dsRes.error ?? deRes.error} />
      <Done>{done}</Done>
      <h3>{t('aud.segments')}</h3>
      {data && !data.segments.length && <Empty>{t('aud.noSegments')}</Empty>}
      {data && data.segments.length > 0 && (
        <table><thead><tr><th>{t('model.key')}</th><th>{t('model.name')}</th><th>{t('aud.rule')}</th><th>{t('aud.updated')}</th><th><span className="sr-only">{t('cal.actions')}</span></th></tr></thead>
          <tbody>{data.segments.map((s) => (
            <tr key={s.key} data-segment={s.key}><td><code>{s.key}</code></td><td>{s.name}</td><td>{s.rule ? <code>{s.rule}</code> : <span className="muted">{t('aud.explicit')}</span>}</td>
              <td>{date(s.updatedAt)} <span className="muted">{s.updatedBy}</span></td>
              <td className="actions">{can('segment.write') && <>
                <button type="button" onClick={() => setSeg(s.key)}>{t('common.edit')}</button>
                <button type="button" className="danger" onClick={async () => { if (await ask(t('aud.deleteSegment', { key: s.key }), t('common.delete'))) { const r = await delSeg({ key: s.key }); if (!r.error) saved(t('aud.deleted', { key: s.key })); } }}>{t('common.delete')}</button></>}</td></tr>
          ))}</tbody></table>
      )}
      {can('segment.write') && (seg === null
        ? <div><button type="button" onClick={() => setSeg('')}>{t('aud.newSegment')}</button></div>
        : <SegmentEditor key={seg} initial={segment ?? undefined} onSaved={saved} />)}
      <h3>{t('aud.experiments')}</h3>
      {data && !data.experiments.length && <Empty>{t('aud.noExperiments')}</Empty>}
      {data && data.experiments.length > 0 && (
        <table><thead><tr><th>{t('model.key')}</th><th>{t('model.name')}</th><th>{t('aud.arms')}</th><th>{t('aud.holdout')}</th><th><span className="sr-only">{t('cal.actions')}</span></th></tr></thead>
          <tbody>{data.experiments.map((x) => (
            <tr key={x.key} data-experiment={x.key}><td><code>{x.key}</code></td><td>{x.name}</td><td>{x.arms.map((a) => `${a.key} ×${a.weight}`).join(', ')}</td><td>{(x.holdout * 100).toFixed(1)} %</td>
              <td className="actions">{can('experiment.write') && <>
                <button type="button" onClick={() => setExp(x.key)}>{t('common.edit')}</button>
                <button type="button" className="danger" onClick={async () => { if (await ask(t('aud.deleteExperiment', { key: x.key }), t('common.delete'))) { const r = await delExp({ key: x.key }); if (!r.error) saved(t('aud.deleted', { key: x.key })); } }}>{t('common.delete')}</button></>}</td></tr>
          ))}</tbody></table>
      )}
      {can('experiment.write') && (exp === null
        ? <div><button type="button" onClick={() => setExp('')}>{t('aud.newExperiment')}</button></div>
        : <ExperimentEditor key={exp} initial={experiment ?? undefined} metrics={metricKeys?.metrics ?? []} onSaved={saved} />)}
      {dialog}
    </section>
  );
}
