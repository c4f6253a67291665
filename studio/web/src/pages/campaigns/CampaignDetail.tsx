// One campaign: its window in its zone and the browser's, rescheduling in
// its zone, the variants it owns and its release (entries published at its
// start), with add / remove while it has not started.
import { capFromStored, capSummary } from '../variants/cap';
import { holdoutPercent } from './holdout';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorNote } from '../../ui/Notes';
import type { Campaign } from './CampaignsPage';
import { ZoneEcho } from './CampaignForm';
import { AddToReleaseDoc, DraftPickDoc, RemoveFromReleaseDoc, ScheduleLocalDoc } from './queries';
import { localInput } from './zones';

export function CampaignDetail({ campaign: c, onChanged }: { campaign: Campaign; onChanged: () => void }) {
  const { t, date } = useI18n();
  const { can } = useSession();
  const [start, setStart] = useState(c.startsAt ? localInput(c.startsAt, c.timeZone) : '');
  const [end, setEnd] = useState(c.endsAt ? localInput(c.endsAt, c.timeZone) : '');
  const [entry, setEntry] = useState('');
  const [{ data: drafts }] = useQuery({ query: DraftPickDoc, variables: {} });
  const [schedRes, schedule] = useMutation(ScheduleLocalDoc);
  const [addRes, add] = useMutation(AddToReleaseDoc);
  const [rmRes, remove] = useMutation(RemoveFromReleaseDoc);
  const editable = c.status === 'DRAFT' || c.status === 'SCHEDULED';
  const onSchedule = async (e: React.FormEvent) => {
    e.preventDefault();
    const res = await schedule({ id: c.id, startsAt: start, endsAt: end, expectedVersion: c.version });
    if (!res.error) onChanged();
  };
  const onAdd = async (e: React.FormEvent) => {
    e.preventDefault();
    const d = drafts?.drafts.find((x) => `${x.id}/${x.locale}` === entry);
    if (!d) return;
    const res = await add({ campaignId: c.id, entryId: d.id, locale: d.locale });
    if (!res.error) { setEntry(''); onChanged(); }
  };
  return (
    <article className="card stack" aria-labelledby="campaign-detail" data-detail={c.key}>
      <h3 id="campaign-detail">{c.name} <code>{c.key}</code> <span className={`state state-${c.status}`}>{c.status}</span></h3>
      <p><Link to={`/reports?tab=campaign&campaign=${encodeURIComponent(c.key)}`}>{t('rep.campaignReportLink')}</Link></p>
      <p>{t('cal.windowIn', { zone: c.timeZone })}: {c.startsAtLocal ?? '—'} – {c.endsAtLocal ?? '—'} · {t('cal.browserZone', { zone: '' })} {date(c.startsAt)} – {date(c.endsAt)}
        {c.stoppedAt && <> · {t('cal.stoppedBy', { who: c.stoppedBy ?? '', at: date(c.stoppedAt) })}</>}
        {c.cap && <> · <span className="tag" data-cap>{t('cap.summary', { max: c.cap.max, per: capSummary(capFromStored(c.cap)!).replace(/^\d+\//, '') })}</span></>}
        {c.holdout > 0 && <> · <span className="tag" data-holdout>{t('hold.tag', { share: `${holdoutPercent(c.holdout)} %` })}</span></>}</p>
      {editable && can('campaign.schedule') && (
        <form className="row" onSubmit={onSchedule}>
          <label>{t('cal.startsLocal', { zone: c.timeZone })}<input type="datetime-local" required value={start} onChange={(e) => setStart(e.target.value)} /><ZoneEcho local={start} zone={c.timeZone} /></label>
          <label>{t('cal.endsLocal', { zone: c.timeZone })}<input type="datetime-local" required value={end} onChange={(e) => setEnd(e.target.value)} /><ZoneEcho local={end} zone={c.timeZone} /></label>
          <button type="submit">{t('cal.schedule')}</button>
        </form>
      )}
      <ErrorNote error={schedRes.error ?? addRes.error ?? rmRes.error} />
      <h4>{t('cal.variants')}</h4>
      {c.variants.length === 0 ? <p className="muted">{t('cal.noVariants')}</p> : (
        <ul>{c.variants.map((v) => (
          <li key={`${v.entryId}${v.locale}${v.blockId}${v.variant}`}><code>{v.type}/{v.slug}</code> ({v.locale}) {v.blockId ? `block ${v.blockId}` : 'entry'}: <strong>{v.variant}</strong>
            {!v.published && <span className="tag">{t('cal.draftOnly')}</span>} <Link to={`/variants/${v.entryId}?locale=${v.locale}`}>{t('nav.variants')}</Link></li>
        ))}</ul>
      )}
      <h4>{t('cal.release')}</h4>
      {c.release.length === 0 ? <p className="muted">{t('cal.noRelease')}</p> : (
        <ul id="release">{c.release.map((r) => (
          <li key={r.entryId + r.locale}><code>{r.type}/{r.slug}</code> ({r.locale}) {r.scheduledVersion != null ? t('cal.snapshot', { version: r.scheduledVersion }) : ''}
            {editable && can('campaign.schedule') && <button type="button" onClick={async () => { const res = await remove({ campaignId: c.id, entryId: r.entryId, locale: r.locale }); if (!res.error) onChanged(); }}>{t('common.remove')}</button>}</li>
        ))}</ul>
      )}
      {editable && can('campaign.schedule') && (
        <form className="row" onSubmit={onAdd}>
          <label>{t('cal.addEntry')}<select name="releaseEntry" value={entry} onChange={(e) => setEntry(e.target.value)}>
            <option value="">—</option>
            {(drafts?.drafts ?? []).map((d) => <option key={d.id + d.locale} value={`${d.id}/${d.locale}`}>{d.type}/{d.slug} ({d.locale}, {d.status.toLowerCase()})</option>)}
          </select></label>
          <button type="submit" disabled={!entry}>{t('cal.addToRelease')}</button>
        </form>
      )}
    </article>
  );
}
