// Operations: users and roles, API keys, webhooks and their deliveries, the
// audit log — a tab each, shown only to roles that may use it — and a link
// to the screen fleet (its own page).
import '../pages2.css';
import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Empty } from '../../ui/Notes';
import type { Key } from '../../i18n/strings';
import { ApiKeys } from './ApiKeys';
import { Audit } from './Audit';
import { Users } from './Users';
import { Webhooks } from './Webhooks';

const tabs: { id: string; label: Key; permission: string; Component: () => React.ReactNode }[] = [
  { id: 'audit', label: 'ops.audit', permission: 'audit.read', Component: Audit },
  { id: 'users', label: 'ops.users', permission: 'user.write', Component: Users },
  { id: 'keys', label: 'ops.keys', permission: 'apikey.write', Component: ApiKeys },
  { id: 'webhooks', label: 'ops.webhooks', permission: 'webhook.write', Component: Webhooks },
];

export default function OpsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const allowed = tabs.filter((x) => can(x.permission));
  const [tab, setTab] = useState(() => new URLSearchParams(location.search).get('tab') ?? allowed[0]?.id ?? '');
  const current = allowed.find((x) => x.id === tab) ?? allowed[0];
  return (
    <section className="stack">
      <h2>{t('nav.ops')}</h2>
      <p><Link to="/screens">{t('ops.fleet')}</Link></p>
      {!current && <Empty>{t('ops.nothing')}</Empty>}
      {current && (
        <>
          <div role="tablist" className="tabs" aria-label={t('nav.ops')}>
            {allowed.map((x) => <button key={x.id} type="button" role="tab" id={`tab-${x.id}`} aria-controls="ops-panel" aria-selected={x.id === current.id} onClick={() => setTab(x.id)}>{t(x.label)}</button>)}
          </div>
          <div role="tabpanel" id="ops-panel" aria-labelledby={`tab-${current.id}`}><current.Component /></div>
        </>
      )}
    </section>
  );
}
