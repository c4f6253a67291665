// Preview any page at any instant: pick the entry, channel, device, locale,
// segments, consent and an instant (typed, or a campaign's start) and see
// the blocks as that visitor would get them, each with the variant chosen
// and why; "Explain" lists every variant with its reasons
// (explainDecision). Works for every entry: nothing is fixed to a page.
import '../pages2.css';
import { useMemo, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { useSearchParams } from 'react-router';
import { DateTime } from 'luxon';
import { doc, graphql } from '../../api/doc';
import type { ExplainBlockQuery, PreviewEntryQuery } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { Empty, ErrorNote } from '../../ui/Notes';
import { browserZone, inZone, localInput } from '../campaigns/zones';
import { simulatedProfile, type HistoryRow } from './history';

const PreviewEntryDoc = doc(graphql(`
  query PreviewEntry($slug: String!, $type: String, $locale: String, $context: ExperienceContext) {
    entry(slug: $slug, type: $type, locale: $locale, context: $context) {
      id type slug locale version publishedAt fields
      decision { variant reason experiment arm campaign { key } }
      blocks { id type fields globalId decision { variant reason experiment arm campaign { key } } }
    }
  }
`));
const ExplainBlockDoc = doc(graphql(`
  query ExplainBlock($slug: String!, $type: String, $locale: String, $blockId: String, $context: ExperienceContext) {
    explainDecision(slug: $slug, type: $type, locale: $locale, blockId: $blockId, context: $context) {
      blockId segments decision { variant reason } variants { variant matched chosen reasons }
    }
  }
`));
const PreviewChoicesDoc = doc(graphql(`
  query PreviewChoices { drafts(first: 100) { id type slug locale } segments { key } campaigns { key name startsAt timeZone } }
`));

type Block = NonNullable<PreviewEntryQuery['entry']>['blocks'][number];
type Explained = NonNullable<ExplainBlockQuery['explainDecision']>;

// What a block shows, briefly: its text fields and images, not raw JSON.
function BlockBody({ fields }: { fields: Record<string, any> }) {
  return (
    <dl className="fields">
      {Object.entries(fields ?? {}).map(([k, v]) => (
        <div key={k}><dt>{k}</dt><dd>{typeof v === 'string' ? v : v && typeof v === 'object' && 'url' in v ? <img src={String(v.url)} alt={String(v.alt ?? k)} className="thumb" style={{ maxWidth: 220 }} /> : <code>{JSON.stringify(v).slice(0, 160)}</code>}</dd></div>
      ))}
    </dl>
  );
}

export default function PreviewPage() {
  const { t, date } = useI18n();
  const client = useClient();
  const [search] = useSearchParams();
  const [{ data: choices }] = useQuery({ query: PreviewChoicesDoc });
  const [form, setForm] = useState({
    slug: search.get('slug') ?? '', type: search.get('type') ?? '', locale: search.get('locale') ?? '',
    channel: 'web', device: 'desktop', segments: [] as string[], consent: true, visitorId: 'studio-preview',
    at: localInput(DateTime.now(), browserZone()), drafts: false,
    history: [] as HistoryRow[], historyDevices: '',
  });
  const setRow = (i: number, r: Partial<HistoryRow>) => setForm({ ...form, history: form.history.map((x, j) => (j === i ? { ...x, ...r } : x)) });
  const [asked, setAsked] = useState<typeof form | null>(null);
  const [explained, setExplained] = useState<Record<string, Explained | string>>({});
  const context = useMemo(() => {
    if (!asked) return null;
    const at = inZone(asked.at, browserZone());
    return {
      channel: asked.channel || null, device: asked.device || null, locale: asked.locale || null,
      segments: asked.segments, consent: asked.consent, visitorId: asked.visitorId || null,
      at: at ? at.toUTC().toISO() : null, preview: asked.drafts || null,
      profile: simulatedProfile(asked.history, asked.historyDevices),
    };
  }, [asked]);
  const [{ data, fetching, error }] = useQuery({
    query: PreviewEntryDoc, pause: !asked || !context,
    variables: { slug: asked?.slug ?? '', type: asked?.type || null, locale: asked?.locale || null, context },
    requestPolicy: 'network-only',
  });
  const slugs = [...new Map((choices?.drafts ?? []).map((d) => [`${d.type}/${d.slug}`, d])).values()];
  const explain = async (blockId: string | null) => {
    if (!asked) return;
    const res = await client.query(ExplainBlockDoc, { slug: asked.slug, type: asked.type || null, locale: asked.locale || null, blockId, context }, { requestPolicy: 'network-only' }).toPromise();
    setExplained((m) => ({ ...m, [blockId ?? '']: res.data?.explainDecision ?? (res.error?.message ?? t('preview.noExplain')) }));
  };
  const Decision = ({ d }: { d: Block['decision'] }) => (
    <p className="decision" data-variant={d.variant}><strong>{d.variant}</strong> — {d.reason}{d.campaign && <> · <span className="tag">{d.campaign.key}</span></>}{d.experiment && <> · {d.experiment}/{d.arm}</>}</p>
  );
  const Explanation = ({ id }: { id: string }) => {
    const x = explained[id];
    if (!x) return null;
    if (typeof x === 'string') return <p className="error">{x}</p>;
    return (
      <table className="explain"><thead><tr><th>{t('preview.variant')}</th><th>{t('preview.matched')}</th><th>{t('preview.reasons')}</th></tr></thead>
        <tbody>{x.variants.map((v) => <tr key={v.variant} className={v.chosen ? 'chosen' : ''}><td>{v.variant}{v.chosen ? ' ✓' : ''}</td><td>{v.matched ? t('common.yes') : t('common.no')}</td><td>{v.reasons.join('; ')}</td></tr>)}</tbody>
      </table>
    );
  };
  const entry = data?.entry;
  return (
    <section className="stack">
      <h2>{t('nav.preview')}</h2>
      <form className="card stack" onSubmit={(e) => { e.preventDefault(); setExplained({}); setAsked({ ...form }); }}>
        <div className="row">
          <label>{t('preview.entry')}<select name="entry" required value={`${form.type}/${form.slug}`} onChange={(e) => { const [type, slug] = e.target.value.split('/'); setForm({ ...form, type, slug }); }}>
            <option value="/">—</option>
            {slugs.map((d) => <option key={`${d.type}/${d.slug}`} value={`${d.type}/${d.slug}`}>{d.type}/{d.slug}</option>)}
            {form.slug && !slugs.some((d) => d.slug === form.slug && d.type === form.type) && <option value={`${form.type}/${form.slug}`}>{form.type}/{form.slug}</option>}
          </select></label>
          <label>{t('var.channels')}<input name="channel" list="pv-channels" value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })} /></label>
          <label>{t('var.devices')}<select name="device" value={form.device} onChange={(e) => setForm({ ...form, device: e.target.value })}>
            <option value="">—</option>{['mobile', 'tablet', 'desktop', 'tv', 'watch', 'kiosk'].map((d) => <option key={d}>{d}</option>)}
          </select></label>
          <label>{t('var.locales')}<input name="locale" value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value })} placeholder="en" size={6} /></label>
          <datalist id="pv-channels">{['web', 'app', 'kiosk'].map((c) => <option key={c} value={c} />)}</datalist>
        </div>
        <fieldset className="row"><legend>{t('var.segments')}</legend>
          {(choices?.segments ?? []).map((s) => (
            <label className="check" key={s.key}><input type="checkbox" name={`segment-${s.key}`} checked={form.segments.includes(s.key)}
              onChange={(e) => setForm({ ...form, segments: e.target.checked ? [...form.segments, s.key] : form.segments.filter((x) => x !== s.key) })} />{s.key}</label>
          ))}
          <label className="check"><input type="checkbox" name="consent" checked={form.consent} onChange={(e) => setForm({ ...form, consent: e.target.checked })} />{t('preview.consent')}</label>
          <label className="check"><input type="checkbox" name="drafts" checked={form.drafts} onChange={(e) => setForm({ ...form, drafts: e.target.checked })} />{t('preview.drafts')}</label>
        </fieldset>
        <fieldset className="stack" aria-describedby="history-hint"><legend>{t('preview.history')}</legend>
          <p className="hint" id="history-hint">{t('preview.historyHint')}</p>
          {form.history.map((r, i) => (
            <div className="row" role="group" aria-label={t('preview.historyEvent', { n: i + 1 })} key={i}>
              <label>{t('preview.historyName')}<input name={`history-name-${i}`} value={r.name} onChange={(e) => setRow(i, { name: e.target.value })} placeholder="product_view" /></label>
              <label>{t('preview.historyAgo')}<input name={`history-ago-${i}`} value={r.ago} onChange={(e) => setRow(i, { ago: e.target.value })} placeholder="2h" size={8} /></label>
              <label>{t('preview.historyValue')}<input name={`history-value-${i}`} inputMode="decimal" value={r.value} onChange={(e) => setRow(i, { value: e.target.value })} size={8} /></label>
              <button type="button" onClick={() => setForm({ ...form, history: form.history.filter((_, j) => j !== i) })}>{t('preview.historyRemove', { n: i + 1 })}</button>
            </div>
          ))}
          <div className="row">
            <button type="button" onClick={() => setForm({ ...form, history: [...form.history, { name: '', ago: '', value: '' }] })}>{t('preview.historyAdd')}</button>
            <label>{t('preview.historyDevices')}<input name="history-devices" value={form.historyDevices} onChange={(e) => setForm({ ...form, historyDevices: e.target.value })} placeholder="tablet, mobile" /></label>
          </div>
        </fieldset>
        <div className="row">
          <label>{t('preview.at', { zone: browserZone() })}<input type="datetime-local" name="at" step={1} value={form.at} onChange={(e) => setForm({ ...form, at: e.target.value })} /></label>
          <label>{t('preview.campaignStart')}<select name="campaignStart" value="" onChange={(e) => { const c = choices?.campaigns.find((x) => x.key === e.target.value); if (c?.startsAt) setForm({ ...form, at: localInput(c.startsAt, browserZone()) }); }}>
            <option value="">—</option>
            {(choices?.campaigns ?? []).filter((c) => c.startsAt).map((c) => <option key={c.key} value={c.key}>{c.name} ({date(c.startsAt, c.timeZone)})</option>)}
          </select></label>
          <label>{t('preview.visitor')}<input name="visitorId" value={form.visitorId} onChange={(e) => setForm({ ...form, visitorId: e.target.value })} /></label>
          <button type="submit" disabled={!form.slug}>{t('preview.show')}</button>
        </div>
      </form>
      {fetching && <Loading />}
      <ErrorNote error={error} />
      {asked && data && !entry && <Empty>{t('preview.notPublished', { slug: asked.slug, at: date(context?.at) })}</Empty>}
      {entry && (
        <div className="stack" id="preview-result" data-slug={entry.slug}>
          <p>{t('preview.seen', { slug: `${entry.type}/${entry.slug}`, version: entry.version, locale: entry.locale, at: date(context?.at) })}</p>
          {entry.decision && <div className="card" data-block="entry"><h3>{t('var.entryOwn')}</h3><Decision d={entry.decision} />
            <button type="button" onClick={() => explain(null)}>{t('preview.explain')}</button><Explanation id="" /></div>}
          {entry.blocks.length === 0 && <Empty>{t('preview.noBlocks')}</Empty>}
          {entry.blocks.map((b) => (
            <div className="card" key={b.id} data-block={b.id} data-variant={b.decision.variant}>
              <h3>{b.type} <code>{b.id}</code>{b.globalId && <span className="tag">global</span>}</h3>
              <Decision d={b.decision} />
              <BlockBody fields={b.fields} />
              <button type="button" onClick={() => explain(b.id)}>{t('preview.explain')}</button>
              <Explanation id={b.id} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
