// Webhook endpoints (webhook.write): register (the signing secret shown
// once), delete behind a confirmation, and the delivery log with every
// attempt and "retry" (redeliverWebhook), plus deliveries per status over
// time as a chart.
import { Fragment, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { doc, graphql } from '../../api/doc';
import type { WebhookDeliveryStatus } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { useConfirm } from '../../ui/Confirm';
import { Done, Empty, ErrorNote } from '../../ui/Notes';
import { ActivityChart } from './ActivityChart';
import { bucketize } from './buckets';

const HooksDoc = doc(graphql(`
  query Webhooks($status: WebhookDeliveryStatus, $after: String) {
    webhookEndpoints { id url description eventTypes createdAt createdBy }
    webhookDeliveries(status: $status, first: 200, after: $after) {
      nodes { id endpointId eventId eventType status attempts nextAttemptAt lastAttemptAt lastStatusCode lastError createdAt
        log { attempt at durationMs statusCode error } }
      pageInfo { hasNextPage endCursor }
    }
  }
`));
const CreateHookDoc = doc(graphql(`mutation CreateWebhookStudio($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url } } }`));
const DeleteHookDoc = doc(graphql(`mutation DeleteWebhookStudio($id: ID!) { deleteWebhookEndpoint(id: $id) }`));
const RedeliverDoc = doc(graphql(`mutation RedeliverStudio($id: ID!) { redeliverWebhook(deliveryId: $id) { id status nextAttemptAt } }`));

export function Webhooks() {
  const { t, date } = useI18n();
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, error }, refetch] = useQuery({ query: HooksDoc, variables: { status: status || null, after } });
  const [cRes, create] = useMutation(CreateHookDoc);
  const [dRes, del] = useMutation(DeleteHookDoc);
  const [rRes, redeliver] = useMutation(RedeliverDoc);
  const [ask, dialog] = useConfirm();
  const [secret, setSecret] = useState('');
  const [done, setDone] = useState('');
  const [open, setOpen] = useState('');
  const [form, setForm] = useState({ url: '', description: '', events: '' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const deliveries = data?.webhookDeliveries.nodes ?? [];
  const chart = useMemo(() => bucketize(deliveries.map((d) => ({ at: d.createdAt, series: d.status })), 'hour'), [deliveries]);
  const urlOf = (id: string) => data?.webhookEndpoints.find((e) => e.id === id)?.url ?? id;
  return (
    <div className="stack">
      <ErrorNote error={error ?? cRes.error ?? dRes.error ?? rRes.error} />
      <Done>{done}</Done>
      {secret && <div className="card secret" role="alert"><p><strong>{t('ops.secretOnce')}</strong></p><p><code>{secret}</code> <button type="button" onClick={() => setSecret('')}>{t('ops.stored')}</button></p></div>}
      <h3>{t('ops.endpoints')}</h3>
      {data && !data.webhookEndpoints.length && <Empty>{t('ops.noEndpoints')}</Empty>}
      {data && data.webhookEndpoints.length > 0 && (
        <table><thead><tr><th>URL</th><th>{t('ops.events')}</th><th>{t('aud.updated')}</th><th><span className="sr-only">{t('cal.actions')}</span></th></tr></thead>
          <tbody>{data.webhookEndpoints.map((e) => (
            <tr key={e.id}><td><code>{e.url}</code> <span className="muted">{e.description}</span></td><td>{e.eventTypes.join(', ') || t('ops.allEvents')}</td><td>{date(e.createdAt)} <span className="muted">{e.createdBy}</span></td>
              <td><button type="button" className="danger" onClick={async () => { if (await ask(t('ops.deleteEndpoint', { url: e.url }), t('common.delete'))) { const r = await del({ id: e.id }); if (!r.error) { setDone(t('ops.saved')); reload(); } } }}>{t('common.delete')}</button></td></tr>
          ))}</tbody></table>
      )}
      <form className="card row" onSubmit={async (e) => {
        e.preventDefault();
        const ev = form.events.split(',').map((s) => s.trim()).filter(Boolean);
        const r = await create({ input: { url: form.url, description: form.description || null, eventTypes: ev.length ? ev : null } });
        if (r.data) { setSecret(r.data.createWebhookEndpoint.secret); setForm({ url: '', description: '', events: '' }); reload(); }
      }}>
        <label>URL<input type="url" name="hookUrl" required value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} /></label>
        <label>{t('model.description')}<input value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} /></label>
        <label>{t('ops.events')}<input placeholder="campaign.*" value={form.events} onChange={(e) => setForm({ ...form, events: e.target.value })} /></label>
        <button type="submit">{t('ops.addEndpoint')}</button>
      </form>
      <h3>{t('ops.deliveries')}</h3>
      {chart.labels.length > 0 && <ActivityChart data={chart} title={t('ops.deliveriesChart')} />}
      <div className="row"><label>{t('ops.state')}<select value={status} onChange={(e) => { setAfter(null); setStatus(e.target.value as WebhookDeliveryStatus | ''); }}>
        <option value="">{t('ops.any')}</option>{['PENDING', 'SUCCEEDED', 'FAILED'].map((s) => <option key={s}>{s}</option>)}</select></label></div>
      {data && !deliveries.length && <Empty>{t('ops.noDeliveries')}</Empty>}
      {deliveries.length > 0 && (
        <table><thead><tr><th>{t('ops.event')}</th><th>{t('ops.endpoint')}</th><th>{t('ops.state')}</th><th>{t('ops.attempts')}</th><th>{t('ops.last')}</th><th><span className="sr-only">{t('cal.actions')}</span></th></tr></thead>
          <tbody>{deliveries.map((d) => (
            <Fragment key={d.id}>
              <tr data-delivery={d.id}><td>{d.eventType} <span className="muted">evt_{d.eventId}</span></td><td><code>{urlOf(d.endpointId)}</code></td>
                <td className={`delivery-${d.status}`}>{d.status}</td><td>{d.attempts}</td>
                <td>{date(d.lastAttemptAt)} {d.lastStatusCode ?? ''} <span className="muted">{d.lastError ?? ''}</span></td>
                <td className="actions"><button type="button" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? '' : d.id)}>{t('ops.attemptsLog')}</button>
                  {d.status !== 'PENDING' && <button type="button" onClick={async () => { const r = await redeliver({ id: d.id }); if (!r.error) { setDone(t('ops.requeued')); reload(); } }}>{t('ops.retry')}</button>}</td></tr>
              {open === d.id && <tr><td colSpan={6}><ol>{d.log.map((a) => <li key={a.attempt}>{date(a.at)} — {a.statusCode ?? '—'} {a.error ?? ''} ({a.durationMs} ms)</li>)}</ol></td></tr>}
            </Fragment>
          ))}</tbody></table>
      )}
      {data?.webhookDeliveries.pageInfo.hasNextPage && <button type="button" onClick={() => setAfter(data.webhookDeliveries.pageInfo.endCursor ?? null)}>{t('common.next')}</button>}
      {dialog}
    </div>
  );
}
