// API keys (apikey.write): create with a scope, channels and expiry — the
// key is shown once, right here, and never again — and revoke (behind a
// confirmation).
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { doc, graphql } from '../../api/doc';
import type { ApiKeyScope } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { useConfirm } from '../../ui/Confirm';
import { Done, Empty, ErrorNote } from '../../ui/Notes';

const KeysDoc = doc(graphql(`query ApiKeys { apiKeys(includeRevoked: true) { id name prefix scope channels expiresAt revokedAt revokedBy lastUsedAt createdAt createdBy } }`));
const CreateKeyDoc = doc(graphql(`mutation CreateApiKeyStudio($input: CreateAPIKeyInput!) { createAPIKey(input: $input) { key apiKey { id name } } }`));
const RevokeKeyDoc = doc(graphql(`mutation RevokeApiKeyStudio($id: ID!) { revokeAPIKey(id: $id) { id revokedAt } }`));
const scopes: ApiKeyScope[] = ['DELIVERY', 'PREVIEW', 'EVENTS_WRITE'];

export function ApiKeys() {
  const { t, date } = useI18n();
  const [{ data, error }, refetch] = useQuery({ query: KeysDoc });
  const [cRes, create] = useMutation(CreateKeyDoc);
  const [rRes, revoke] = useMutation(RevokeKeyDoc);
  const [ask, dialog] = useConfirm();
  const [secret, setSecret] = useState('');
  const [done, setDone] = useState('');
  const [form, setForm] = useState({ name: '', scope: 'DELIVERY' as ApiKeyScope, channels: '', expires: '' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <div className="stack">
      <ErrorNote error={error ?? cRes.error ?? rRes.error} />
      <Done>{done}</Done>
      {secret && (
        <div className="card secret" role="alert">
          <p><strong>{t('ops.secretOnce')}</strong></p>
          <p><code id="new-secret">{secret}</code> <button type="button" onClick={() => navigator.clipboard?.writeText(secret)}>{t('ops.copy')}</button> <button type="button" onClick={() => setSecret('')}>{t('ops.stored')}</button></p>
        </div>
      )}
      {data && !data.apiKeys.length && <Empty>{t('ops.noKeys')}</Empty>}
      {data && data.apiKeys.length > 0 && (
        <table><thead><tr><th>{t('model.name')}</th><th>{t('ops.prefix')}</th><th>{t('ops.scope')}</th><th>{t('campaigns.channels')}</th><th>{t('ops.lastUsed')}</th><th>{t('ops.state')}</th></tr></thead>
          <tbody>{data.apiKeys.map((k) => (
            <tr key={k.id} data-key={k.name}><td>{k.name}</td><td><code>{k.prefix}…</code></td><td>{k.scope}</td><td>{k.channels.join(', ') || t('cal.allChannels')}</td>
              <td>{date(k.lastUsedAt)}</td>
              <td>{k.revokedAt ? <span className="muted">{t('ops.revokedBy', { who: k.revokedBy ?? '', at: date(k.revokedAt) })}</span>
                : <button type="button" className="danger" onClick={async () => { if (await ask(t('ops.revokeConfirm', { name: k.name }), t('ops.revoke'))) { const r = await revoke({ id: k.id }); if (!r.error) { setDone(t('ops.revoked', { name: k.name })); reload(); } } }}>{t('ops.revoke')}</button>}</td></tr>
          ))}</tbody></table>
      )}
      <form className="card row" onSubmit={async (e) => {
        e.preventDefault();
        const channels = form.channels.split(',').map((s) => s.trim()).filter(Boolean);
        const r = await create({ input: { name: form.name, scope: form.scope, channels: channels.length ? channels : null, expiresAt: form.expires ? new Date(form.expires).toISOString() : null } });
        if (r.data) { setSecret(r.data.createAPIKey.key); setForm({ ...form, name: '' }); reload(); }
      }}>
        <label>{t('model.name')}<input name="keyName" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
        <label>{t('ops.scope')}<select name="scope" value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value as ApiKeyScope })}>{scopes.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>{t('campaigns.channels')}<input name="keyChannels" placeholder={t('cal.allChannels')} value={form.channels} onChange={(e) => setForm({ ...form, channels: e.target.value })} /></label>
        <label>{t('ops.expires')}<input type="datetime-local" value={form.expires} onChange={(e) => setForm({ ...form, expires: e.target.value })} /></label>
        <button type="submit">{t('ops.createKey')}</button>
      </form>
      {dialog}
    </div>
  );
}
