// Campaigns, minimally: every campaign with its state, window (in its own
// time zone) and channels, and launch now / stop behind a confirmation that
// names what changes. The calendar, scheduling and previews are another
// page's work (issue 16, item 8).
import { useState } from 'react';
import { useMutation } from 'urql';
import { useQuery } from '../../api/query';
import { graphql } from '../../gql';
import type { CampaignsQuery } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useConfirm } from '../../ui/Confirm';
import { Loading } from '../../ui/Loading';
import { Done, Empty, ErrorNote } from '../../ui/Notes';

const CampaignsDoc = graphql(`
  query Campaigns { campaigns { id key name status timeZone startsAt endsAt channels releaseSize } }
`);
const LaunchDoc = graphql(`mutation LaunchCampaign($id: ID!, $endsAt: DateTime) { launchCampaign(id: $id, endsAt: $endsAt) { id status startsAt endsAt } }`);
const StopDoc = graphql(`mutation StopCampaign($id: ID!) { stopCampaign(id: $id) { id status stoppedAt } }`);

type Campaign = CampaignsQuery['campaigns'][number];

export default function CampaignsPage() {
  const { t, date } = useI18n();
  const { can, me } = useSession();
  const [{ data, fetching, error }, refetch] = useQuery({ query: CampaignsDoc });
  const [launchMut, launch] = useMutation(LaunchDoc);
  const [stopMut, stop] = useMutation(StopDoc);
  const [ask, dialog] = useConfirm();
  const [done, setDone] = useState('');
  const channels = (c: Campaign) => (c.channels.length ? c.channels.join(', ') : t('campaigns.everyChannel'));

  const onLaunch = async (c: Campaign) => {
    if (!(await ask(t('campaigns.launchConfirm', { name: c.name, channels: channels(c) }), t('campaigns.launch')))) return;
    // A draft needs an end: a day from now unless scheduled.
    const endsAt = c.endsAt ?? new Date(Date.now() + 86_400_000).toISOString();
    const res = await launch({ id: c.id, endsAt });
    if (!res.error) { setDone(t('campaigns.done', { action: t('campaigns.launch') })); refetch({ requestPolicy: 'network-only' }); }
  };
  const onStop = async (c: Campaign) => {
    if (!(await ask(t('campaigns.stopConfirm', { name: c.name, channels: channels(c) }), t('campaigns.stop')))) return;
    const res = await stop({ id: c.id });
    if (!res.error) { setDone(t('campaigns.done', { action: t('campaigns.stop') })); refetch({ requestPolicy: 'network-only' }); }
  };

  return (
    <section>
      <h2>{t('campaigns.title')}</h2>
      {fetching && !data && <Loading />}
      <ErrorNote error={error ?? launchMut.error ?? stopMut.error} />
      <Done>{done}</Done>
      {data && !data.campaigns.length && <Empty>{t('campaigns.empty')}</Empty>}
      {data && data.campaigns.length > 0 && (
        <table>
          <thead><tr><th>{t('model.name')}</th><th>{t('campaigns.state')}</th><th>{t('campaigns.window')}</th><th>{t('campaigns.channels')}</th><th /></tr></thead>
          <tbody>
            {data.campaigns.map((c) => (
              <tr key={c.id} data-campaign={c.key}>
                <td>{c.name} <code>{c.key}</code></td>
                <td data-status={c.status}>{c.status}</td>
                <td>{date(c.startsAt, c.timeZone)} – {date(c.endsAt, c.timeZone)} <span className="muted">({c.timeZone})</span></td>
                <td>{channels(c)}</td>
                <td className="actions">
                  {(c.status === 'DRAFT' || c.status === 'SCHEDULED') && (
                    <button type="button" disabled={!can('campaign.schedule')} title={can('campaign.schedule') ? undefined : t('common.forbidden', { role: me?.role?.toLowerCase() ?? '' })} onClick={() => onLaunch(c)}>{t('campaigns.launch')}</button>
                  )}
                  {(c.status === 'LIVE' || c.status === 'SCHEDULED') && (
                    <button type="button" className="danger" disabled={!can('campaign.stop')} title={can('campaign.stop') ? undefined : t('common.forbidden', { role: me?.role?.toLowerCase() ?? '' })} onClick={() => onStop(c)}>{t('campaigns.stop')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog}
    </section>
  );
}
