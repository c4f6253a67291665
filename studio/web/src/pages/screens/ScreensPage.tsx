// The screen fleet: every kiosk and IoT display that reports heartbeats,
// whether it shows what the server would serve it now, and "forget" for a
// unit taken out of service (behind a confirmation). Refreshed every 5 s.
import { useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { useQuery } from '../../api/query';
import { doc, graphql } from '../../api/doc';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useConfirm } from '../../ui/Confirm';
import { Loading } from '../../ui/Loading';
import { Done, Empty, ErrorNote } from '../../ui/Notes';

const FleetDoc = doc(graphql(`
  query ScreenFleet { screenFleet(first: 500) { screenId screen channel device locale client bundleVersion currentVersion clockOffsetMs lastSeenAt state } }
`));
const ForgetDoc = doc(graphql(`mutation ForgetScreen($id: String!) { forgetScreen(screenId: $id) }`));

const offset = (ms: number | null | undefined) => (ms == null ? '—' : `${ms > 0 ? '+' : ''}${Math.round(ms)} ms`);

export default function ScreensPage() {
  const { t, date } = useI18n();
  const { can, me } = useSession();
  const [{ data, fetching, error }, refetch] = useQuery({ query: FleetDoc });
  const [forgetRes, forget] = useMutation(ForgetDoc);
  const [ask, dialog] = useConfirm();
  const [done, setDone] = useState('');
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), 5000);
    return () => clearInterval(timer);
  }, [refetch]);

  const units = data?.screenFleet ?? [];
  const counts = { ONLINE: 0, STALE: 0, OFFLINE: 0 };
  units.forEach((u) => { counts[u.state]++; });
  const onForget = async (id: string) => {
    if (!(await ask(t('screens.forgetConfirm', { id }), t('screens.forget')))) return;
    const res = await forget({ id });
    if (!res.error) { setDone(t('screens.forgot', { id })); refetch({ requestPolicy: 'network-only' }); }
  };
  return (
    <section>
      <h2>{t('screens.title')}</h2>
      {fetching && !data && <Loading />}
      <ErrorNote error={error ?? forgetRes.error} />
      <Done>{done}</Done>
      {data && !units.length && <Empty>{t('screens.empty')}</Empty>}
      {units.length > 0 && (
        <>
          <p id="fleet-summary">{t('screens.summary', counts)}</p>
          <table>
            <thead><tr><th>{t('campaigns.state')}</th><th>{t('screens.unit')}</th><th>{t('screens.screen')}</th><th>{t('screens.bundle')}</th><th>{t('screens.clock')}</th><th>{t('screens.lastSeen')}</th><th /></tr></thead>
            <tbody>
              {units.map((u) => (
                <tr key={u.screenId} data-screen-id={u.screenId} data-state={u.state}>
                  <td>{t(`screens.state.${u.state}`)}</td>
                  <td>{u.screenId} <span className="muted">{u.client}</span></td>
                  <td>{u.screen} <span className="muted">{[u.channel, u.device, u.locale].filter(Boolean).join(' · ')}</span></td>
                  <td>{u.bundleVersion ?? '—'}{u.state === 'STALE' && <> ({t('screens.behind')})</>}</td>
                  <td>{offset(u.clockOffsetMs)}</td>
                  <td>{date(u.lastSeenAt)}</td>
                  <td><button type="button" disabled={!can('fleet.write')} title={can('fleet.write') ? undefined : t('common.forbidden', { role: me?.role?.toLowerCase() ?? '' })}
                    onClick={() => onForget(u.screenId)}>{t('screens.forget')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {dialog}
    </section>
  );
}
