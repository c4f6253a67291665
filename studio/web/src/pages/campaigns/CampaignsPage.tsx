// Campaigns: the calendar of every campaign window, release publish and
// conflict; creating and scheduling in the campaign's own zone; the list
// with launch now / stop (behind a confirmation naming every entry that
// changes), duplicate, archive; a campaign's release. State transitions
// arrive on the live event stream (live.ts), not by polling.
import '../pages2.css';
import { useMemo, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { DateTime } from 'luxon';
import type { CampaignListQuery } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useConfirm } from '../../ui/Confirm';
import { Loading } from '../../ui/Loading';
import { Done, Empty, ErrorNote } from '../../ui/Notes';
import { CampaignCalendar } from './CampaignCalendar';
import { CampaignForm } from './CampaignForm';
import { CampaignDetail } from './CampaignDetail';
import { withDiffs, type EntryChange } from './changes';
import { useCampaignStream } from './live';
import { ArchiveCampaignDoc, CampaignListDoc, DuplicateCampaignDoc, LaunchCampaignDoc, StopCampaignDoc } from './queries';

export type Campaign = CampaignListQuery['campaigns'][number];

function ChangeList({ list, intro }: { list: EntryChange[]; intro: string }) {
  const { t } = useI18n();
  return (
    <span className="stack">
      <span>{intro}</span>
      {list.length === 0 ? <span className="muted">{t('cal.changesNone')}</span> : (
        <ul className="changes" data-changes>
          {list.map((e) => (
            <li key={e.key} data-entry={e.slug}><code>{e.key}</code>
              {e.variants.length > 0 && <> — {t('cal.changeVariants', { list: e.variants.join(', ') })}</>}
              {e.released && <> — {t('cal.changeRelease')}</>}
              {e.diff.map((d) => <div key={d} className="muted">{d}</div>)}
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}

export default function CampaignsPage() {
  const { t, date } = useI18n();
  const { can, me } = useSession();
  const client = useClient();
  const range = useMemo(() => ({ from: DateTime.now().minus({ days: 60 }).toUTC().toISO()!, to: DateTime.now().plus({ years: 1 }).toUTC().toISO()! }), []);
  const [{ data, fetching, error }, refetch] = useQuery({ query: CampaignListDoc, variables: range });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const [launchRes, launch] = useMutation(LaunchCampaignDoc);
  const [stopRes, stop] = useMutation(StopCampaignDoc);
  const [dupRes, duplicate] = useMutation(DuplicateCampaignDoc);
  const [archRes, archive] = useMutation(ArchiveCampaignDoc);
  const [ask, dialog] = useConfirm();
  const [done, setDone] = useState('');
  const [creating, setCreating] = useState(false);
  const [picked, setPicked] = useState('');
  const [feed, setFeed] = useState<string[]>([]);
  const live = useCampaignStream((e) => {
    setFeed((f) => [`${date(e.at || new Date().toISOString())} ${e.key}: ${e.type}`, ...f].slice(0, 8));
    reload();
  });
  const campaigns = data?.campaigns ?? [];
  const conflicts = data?.campaignConflicts ?? [];
  const current = campaigns.find((c) => c.key === picked);
  const deny = (p: string) => (can(p) ? undefined : t('common.forbidden', { role: me?.role?.toLowerCase() ?? '' }));
  const channels = (c: Campaign) => (c.channels.length ? c.channels.join(', ') : t('cal.allChannels'));

  const onLaunch = async (c: Campaign) => {
    const list = await withDiffs(client, c, 'launch');
    if (!(await ask(<ChangeList list={list} intro={t('campaigns.launchConfirm', { name: c.name, channels: channels(c) })} />, t('campaigns.launch')))) return;
    const endsAt = c.endsAt ?? DateTime.now().plus({ days: 1 }).toUTC().toISO();
    const res = await launch({ id: c.id, endsAt });
    if (!res.error) { setDone(t('campaigns.done', { action: t('campaigns.launch') })); reload(); }
  };
  const onStop = async (c: Campaign) => {
    const list = await withDiffs(client, c, 'stop');
    if (!(await ask(<ChangeList list={list} intro={t('campaigns.stopConfirm', { name: c.name, channels: channels(c) })} />, t('campaigns.stop')))) return;
    const res = await stop({ id: c.id });
    if (!res.error) { setDone(t('campaigns.done', { action: t('campaigns.stop') })); reload(); }
  };
  const onDuplicate = async (c: Campaign) => {
    const newKey = window.prompt(t('cal.duplicateKey'), `${c.key}-copy`);
    if (!newKey) return;
    const res = await duplicate({ id: c.id, newKey });
    if (!res.error) { setDone(t('cal.duplicated', { key: newKey })); setPicked(newKey); reload(); }
  };
  const onArchive = async (c: Campaign) => {
    if (!(await ask(t('cal.archiveConfirm', { name: c.name }), t('cal.archive')))) return;
    const res = await archive({ id: c.id });
    if (!res.error) { setDone(t('campaigns.done', { action: t('cal.archive') })); reload(); }
  };

  return (
    <section className="stack">
      <div className="toolbar">
        <h2 style={{ margin: 0 }}>{t('campaigns.title')}</h2>
        <span className="tag" data-live={live} role="status">{t(`cal.live.${live}`)}</span>
        {can('campaign.schedule') && <button type="button" className="primary" onClick={() => setCreating((v) => !v)} aria-expanded={creating}>{t('cal.new')}</button>}
      </div>
      {fetching && !data && <Loading />}
      <ErrorNote error={error ?? launchRes.error ?? stopRes.error ?? dupRes.error ?? archRes.error} />
      <Done>{done}</Done>
      {creating && <CampaignForm onDone={(key) => { setCreating(false); setPicked(key); setDone(t('cal.created', { key })); reload(); }} />}
      {data && <CampaignCalendar campaigns={campaigns} conflicts={conflicts} onPick={setPicked} />}
      {conflicts.length > 0 && (
        <div className="card" id="conflicts">
          <h3>{t('cal.conflicts')}</h3>
          <ul>{conflicts.map((x, i) => (
            <li key={i} data-conflict={x.slug}><code>{x.type}/{x.slug}</code>{x.blockId ? ` · ${x.blockId}` : ''}: {x.campaigns.map((c) => c.key).join(' vs ')} — <strong>{x.winner ? t('cal.winner', { key: x.winner.key }) : t('cal.tie')}</strong> <span className="muted">({x.reason}; {date(x.from)} – {date(x.to)})</span></li>
          ))}</ul>
        </div>
      )}
      {feed.length > 0 && <div className="card" aria-live="polite"><h3>{t('cal.feed')}</h3><ul id="live-feed">{feed.map((f, i) => <li key={i}>{f}</li>)}</ul></div>}
      {data && !campaigns.length && <Empty>{t('campaigns.empty')}</Empty>}
      {campaigns.length > 0 && (
        <table>
          <thead><tr><th>{t('model.name')}</th><th>{t('campaigns.state')}</th><th>{t('campaigns.window')}</th><th>{t('campaigns.channels')}</th><th><span className="sr-only">{t('cal.actions')}</span></th></tr></thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id} data-campaign={c.key} aria-selected={c.key === picked}>
                <td><button type="button" className="link" onClick={() => setPicked(c.key)}>{c.name}</button> <code>{c.key}</code></td>
                <td data-status={c.status}><span className={`state state-${c.status}`}>{c.status}</span></td>
                <td>{date(c.startsAt, c.timeZone)} – {date(c.endsAt, c.timeZone)} <span className="muted">({c.timeZone})</span><br />
                  <span className="muted">{t('cal.browserZone', { zone: '' })} {date(c.startsAt)} – {date(c.endsAt)}</span></td>
                <td>{channels(c)}</td>
                <td className="actions">
                  {(c.status === 'DRAFT' || c.status === 'SCHEDULED') && (
                    <button type="button" disabled={!can('campaign.schedule')} title={deny('campaign.schedule')} onClick={() => onLaunch(c)}>{t('campaigns.launch')}</button>
                  )}
                  {(c.status === 'LIVE' || c.status === 'SCHEDULED') && (
                    <button type="button" className="danger" disabled={!can('campaign.stop')} title={deny('campaign.stop')} onClick={() => onStop(c)}>{t('campaigns.stop')}</button>
                  )}
                  <button type="button" disabled={!can('campaign.schedule')} title={deny('campaign.schedule')} onClick={() => onDuplicate(c)}>{t('cal.duplicate')}</button>
                  {(c.status === 'DRAFT' || c.status === 'ENDED' || c.status === 'STOPPED') && (
                    <button type="button" disabled={!can('campaign.schedule')} title={deny('campaign.schedule')} onClick={() => onArchive(c)}>{t('cal.archive')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {current && <CampaignDetail campaign={current} onChanged={reload} />}
      {dialog}
    </section>
  );
}
