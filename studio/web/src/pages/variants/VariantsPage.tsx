// Variants on an entry and on each of its blocks (route /variants/:entryId,
// linked from the entry editor and the campaign page): the existing ones
// with their targeting, a form to add or replace one (segments, devices,
// channels, locales, campaign, experiment arm, priority, field overrides,
// frequency cap; Edit loads an existing one, and a setting the form did not
// load is kept, not dropped: stored.ts variantInput),
// and warnings computed as you type (warnings.ts): an unknown segment, a
// variant that can never win, one that starves an experiment.
import '../pages2.css';
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useConfirm } from '../../ui/Confirm';
import { Loading } from '../../ui/Loading';
import { Done, Empty, ErrorNote } from '../../ui/Notes';
import { RemoveVariantDoc, UpsertVariantDoc, VariantDraftDoc, VariantEntriesDoc } from './queries';
import { capErrors, capSummary } from './cap';
import { CapEditor } from './CapEditor';
import { draftBlocks, formOf, fromStored, variantInput, type Stored, type VariantForm } from './stored';
import { variantWarnings, type Known, type VariantSpec } from './warnings';

// Suggestions only: the server's registry (MOSAIC_DEVICES / MOSAIC_CHANNELS)
// decides, and refuses an unknown token with BAD_USER_INPUT.
const deviceHints = ['mobile', 'tablet', 'desktop', 'tv', 'watch', 'kiosk'];
const channelHints = ['web', 'app', 'kiosk'];
const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

function Targeting({ v }: { v: Stored }) {
  const parts = [
    ...(v.segments ?? []).map((s) => `segment ${s}`), ...(v.devices ?? []).map((s) => `device ${s}`),
    ...(v.channels ?? []).map((s) => `channel ${s}`), ...(v.locales ?? []).map((s) => `locale ${s}`),
  ];
  if (v.campaign) parts.push(`campaign ${v.campaign}`);
  if (v.experiment) parts.push(`experiment ${v.experiment}/${v.arm}`);
  return <span>{parts.length ? parts.map((p) => <span key={p} className="tag">{p}</span>) : <span className="muted">everyone</span>}{v.priority ? ` priority ${v.priority}` : ''}{v.cap && <span className="tag" data-cap>{`cap ${capSummary(v.cap)}`}</span>}</span>;
}

export default function VariantsPage() {
  const entryId = (useParams()['*'] ?? '').replace(/\/$/, '');
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const locale = search.get('locale') ?? undefined;
  const { t } = useI18n();
  const { can } = useSession();
  const [{ data: entries }] = useQuery({ query: VariantEntriesDoc, pause: !!entryId });
  const [{ data, fetching, error }, refetch] = useQuery({ query: VariantDraftDoc, variables: { id: entryId, locale }, pause: !entryId });
  const [upRes, upsert] = useMutation(UpsertVariantDoc);
  const [rmRes, remove] = useMutation(RemoveVariantDoc);
  const [ask, dialog] = useConfirm();
  const [done, setDone] = useState('');
  const [target, setTarget] = useState<string>(search.get('block') ?? '');
  const [form, setForm] = useState<VariantForm>({ key: '', segments: [], devices: '', channels: '', locales: '', campaign: '', experiment: '', arm: '', priority: 0, fields: '{}' });

  const draft = data?.draft;
  const blocks = useMemo(() => (draft ? draftBlocks(draft.fields) : []), [draft]);
  const own = useMemo(() => fromStored(draft?.variants), [draft]);
  const known: Known = useMemo(() => ({
    segments: (data?.segments ?? []).map((s) => s.key),
    campaigns: Object.fromEntries((data?.campaigns ?? []).map((c) => [c.key, { priority: c.priority }])),
    experiments: Object.fromEntries((data?.experiments ?? []).map((x) => [x.key, { arms: x.arms.map((a) => a.key) }])),
  }), [data]);

  if (!entryId) {
    return (
      <section>
        <h2>{t('nav.variants')}</h2>
        <p>{t('var.pick')}</p>
        {entries && !entries.drafts.length && <Empty>{t('var.noEntries')}</Empty>}
        <ul className="list">{(entries?.drafts ?? []).map((d) => (
          <li key={d.id + d.locale}><Link to={`/variants/${d.id}?locale=${d.locale}`}>{d.type}/{d.slug} ({d.locale})</Link></li>
        ))}</ul>
      </section>
    );
  }

  const targetBlock = blocks.find((b) => b.id === target);
  const existing = target ? targetBlock?.variants ?? [] : own;
  let parsedFields: Record<string, unknown> | null = null;
  try { parsedFields = JSON.parse(form.fields || '{}'); } catch { parsedFields = null; }
  const candidate: VariantSpec = {
    key: form.key || '(new)', segments: form.segments, devices: split(form.devices), channels: split(form.channels), locales: split(form.locales),
    campaign: form.campaign || undefined, experiment: form.experiment || undefined, arm: form.arm || undefined, priority: form.priority,
  };
  const merged = [...existing.filter((v) => v.key !== form.key), candidate];
  const warnings = variantWarnings(merged, known);
  // The cap shown is the one that will be sent: the form's once edited or
  // loaded, else the existing variant's of that key.
  const shownCap = form.cap !== undefined ? form.cap : existing.find((v) => v.key === form.key)?.cap ?? null;
  const arms = data?.experiments.find((x) => x.key === form.experiment)?.arms ?? [];

  const capErrs = capErrors(upRes.error);
  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!draft || parsedFields === null) return;
    const res = await upsert({
      entryId, locale: draft.locale, blockId: target || null, expectedVersion: draft.version,
      input: variantInput(form, parsedFields, existing),
    });
    if (!res.error) { setDone(t('var.saved', { key: form.key })); refetch({ requestPolicy: 'network-only' }); }
  };
  const onRemove = async (blockId: string | null, key: string) => {
    if (!draft || !(await ask(t('var.removeConfirm', { key }), t('common.remove')))) return;
    const res = await remove({ entryId, locale: draft.locale, blockId, key, expectedVersion: draft.version });
    if (!res.error) { setDone(t('var.removed', { key })); refetch({ requestPolicy: 'network-only' }); }
  };
  const VariantList = ({ list, blockId }: { list: Stored[]; blockId: string | null }) => (
    list.length === 0 ? <p className="muted">{t('var.none')}</p> : (
      <ul>{list.map((v) => (
        <li key={v.key} data-variant={v.key}><strong>{v.key}</strong> <Targeting v={v} /> {v.fields && Object.keys(v.fields).length > 0 && <code>{JSON.stringify(v.fields)}</code>}
          {can('content.write') && <>
            <button type="button" aria-label={`${t('common.edit')}: ${v.key}`} onClick={() => { setTarget(blockId ?? ''); setForm(formOf(v)); }}>{t('common.edit')}</button>
            <button type="button" onClick={() => onRemove(blockId, v.key)}>{t('common.remove')}</button></>}</li>
      ))}</ul>
    ));

  return (
    <section className="stack">
      <h2>{t('nav.variants')}{draft && <>: <code>{draft.type}/{draft.slug}</code> ({draft.locale})</>}</h2>
      {fetching && !data && <Loading />}
      <ErrorNote error={error ?? upRes.error ?? rmRes.error} />
      <Done>{done}</Done>
      {data && !draft && <Empty>{t('var.noDraft')}</Empty>}
      {draft && (
        <>
          <p className="hint">{t('var.publishHint', { status: draft.status.toLowerCase() })} <Link to={`/preview?slug=${draft.slug}&type=${draft.type}&locale=${draft.locale}`}>{t('nav.preview')}</Link></p>
          <div className="card"><h3>{t('var.entryOwn')}</h3><VariantList list={own} blockId={null} /></div>
          {blocks.map((b) => (
            <div className="card" key={b.id} data-block={b.id}>
              <h3>{t('var.block', { id: b.id, type: b.type })}</h3>
              <p className="muted"><code>{JSON.stringify(b.fields).slice(0, 200)}</code></p>
              <VariantList list={b.variants} blockId={b.id} />
            </div>
          ))}
          {can('content.write') && (
            <form className="card stack" onSubmit={onSubmit} aria-labelledby="var-form">
              <h3 id="var-form">{t('var.add')}</h3>
              <div className="row">
                <label>{t('var.on')}<select name="target" value={target} onChange={(e) => setTarget(e.target.value)}>
                  <option value="">{t('var.entryOwn')}</option>
                  {blocks.map((b) => <option key={b.id} value={b.id}>{b.id} ({b.type})</option>)}
                </select></label>
                <label>{t('model.key')}<input name="variantKey" required pattern="[a-z0-9][a-z0-9_\-]*" value={form.key} onChange={(e) => setForm({ ...form, key: e.target.value })} /></label>
                <label>{t('cal.priority')}<input type="number" name="priority" value={form.priority} onChange={(e) => setForm({ ...form, priority: Number(e.target.value) })} style={{ width: 80 }} /></label>
              </div>
              <fieldset className="row"><legend>{t('var.segments')}</legend>
                {(data?.segments ?? []).map((s) => (
                  <label className="check" key={s.key}><input type="checkbox" name={`segment-${s.key}`} checked={form.segments.includes(s.key)}
                    onChange={(e) => setForm({ ...form, segments: e.target.checked ? [...form.segments, s.key] : form.segments.filter((x) => x !== s.key) })} />{s.key}</label>
                ))}
                {!data?.segments.length && <span className="muted">{t('var.noSegments')}</span>}
              </fieldset>
              <div className="row">
                <label>{t('var.devices')}<input name="devices" list="device-hints" value={form.devices} onChange={(e) => setForm({ ...form, devices: e.target.value })} /></label>
                <label>{t('var.channels')}<input name="channels" list="channel-hints" value={form.channels} onChange={(e) => setForm({ ...form, channels: e.target.value })} /></label>
                <label>{t('var.locales')}<input name="locales" value={form.locales} onChange={(e) => setForm({ ...form, locales: e.target.value })} /></label>
                <datalist id="device-hints">{deviceHints.map((d) => <option key={d} value={d} />)}</datalist>
                <datalist id="channel-hints">{channelHints.map((d) => <option key={d} value={d} />)}</datalist>
              </div>
              <div className="row">
                <label>{t('var.campaign')}<select name="campaign" value={form.campaign} onChange={(e) => setForm({ ...form, campaign: e.target.value })}>
                  <option value="">{t('common.none')}</option>
                  {(data?.campaigns ?? []).map((c) => <option key={c.key} value={c.key}>{c.key} ({c.status.toLowerCase()})</option>)}
                </select></label>
                <label>{t('var.experiment')}<select name="experiment" value={form.experiment} onChange={(e) => setForm({ ...form, experiment: e.target.value, arm: '' })}>
                  <option value="">{t('common.none')}</option>
                  {(data?.experiments ?? []).map((x) => <option key={x.key}>{x.key}</option>)}
                </select></label>
                <label>{t('var.arm')}<select name="arm" value={form.arm} disabled={!form.experiment} onChange={(e) => setForm({ ...form, arm: e.target.value })}>
                  <option value="">—</option>
                  {arms.map((a) => <option key={a.key}>{a.key}</option>)}
                </select></label>
              </div>
              <CapEditor cap={shownCap} onChange={(cap) => setForm({ ...form, cap })} errors={capErrs} />
              <label>{t('var.fields', { keys: Object.keys(targetBlock?.fields ?? draft.fields ?? {}).join(', ') })}
                <textarea name="overrides" rows={4} value={form.fields} onChange={(e) => setForm({ ...form, fields: e.target.value })} aria-invalid={parsedFields === null} /></label>
              {parsedFields === null && <p className="error" role="alert">{t('var.badJson')}</p>}
              {warnings.length > 0 && (
                <ul className="warnings" aria-live="polite" id="variant-warnings">
                  {warnings.map((w, i) => <li key={i} data-kind={w.kind}><strong>{w.variant}</strong>: {w.message}</li>)}
                </ul>
              )}
              <div className="actions"><button type="submit" disabled={upRes.fetching || parsedFields === null}>{t('var.save')}</button>
                <button type="button" onClick={() => navigate('/variants')}>{t('var.other')}</button></div>
            </form>
          )}
        </>
      )}
      {dialog}
    </section>
  );
}
