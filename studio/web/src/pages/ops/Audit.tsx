// The audit log (audit.read): every management action, newest first,
// filtered by actor / action / entity, with cursor paging, the arguments
// (secrets already redacted by the server) and activity per hour.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { doc, graphql } from '../../api/doc';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { Empty, ErrorNote } from '../../ui/Notes';
import { ActivityChart } from './ActivityChart';
import { bucketize } from './buckets';

const AuditDoc = doc(graphql(`
  query AuditLog($after: String, $filter: AuditFilter) {
    auditLog(first: 100, after: $after, filter: $filter) {
      nodes { id at actor actorKind actorRole action entityType entityId beforeVersion afterVersion requestId detail }
      pageInfo { hasNextPage endCursor }
    }
  }
`));

export function Audit() {
  const { t, date } = useI18n();
  const [filter, setFilter] = useState({ actor: '', action: '', entityId: '' });
  const [asked, setAsked] = useState(filter);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const f = Object.fromEntries(Object.entries(asked).filter(([, v]) => v));
  const [{ data, fetching, error }] = useQuery({ query: AuditDoc, variables: { after, filter: Object.keys(f).length ? f : null }, requestPolicy: 'cache-and-network' });
  const nodes = data?.auditLog.nodes ?? [];
  const chart = useMemo(() => bucketize(nodes.map((n) => ({ at: n.at, series: n.entityType || n.action })), 'hour'), [nodes]);
  return (
    <div className="stack">
      <form className="row" onSubmit={(e) => { e.preventDefault(); setCursors([null]); setAsked(filter); }}>
        <label>{t('ops.actor')}<input name="actor" value={filter.actor} onChange={(e) => setFilter({ ...filter, actor: e.target.value })} /></label>
        <label>{t('ops.action')}<input name="action" placeholder="publishEntry" value={filter.action} onChange={(e) => setFilter({ ...filter, action: e.target.value })} /></label>
        <label>{t('ops.entity')}<input name="entityId" value={filter.entityId} onChange={(e) => setFilter({ ...filter, entityId: e.target.value })} /></label>
        <button type="submit">{t('common.search')}</button>
      </form>
      {fetching && !data && <Loading />}
      <ErrorNote error={error} />
      {chart.labels.length > 0 && <ActivityChart data={chart} title={t('ops.auditChart')} />}
      {data && !nodes.length && <Empty>{t('ops.noAudit')}</Empty>}
      {nodes.length > 0 && (
        <table id="audit-log"><thead><tr><th>{t('ops.when')}</th><th>{t('ops.actor')}</th><th>{t('ops.action')}</th><th>{t('ops.entity')}</th><th>{t('ops.versions')}</th><th>{t('ops.detail')}</th></tr></thead>
          <tbody>{nodes.map((n) => (
            <tr key={n.id} data-action={n.action}><td>{date(n.at)}</td><td>{n.actor} <span className="muted">{n.actorKind} {n.actorRole}</span></td><td><code>{n.action}</code></td>
              <td>{n.entityType} <code>{n.entityId}</code></td><td>{n.beforeVersion ?? '—'} → {n.afterVersion ?? '—'}</td>
              <td><details><summary>{t('ops.args')}</summary><pre>{JSON.stringify(n.detail, null, 2)}</pre></details></td></tr>
          ))}</tbody></table>
      )}
      <div className="actions">
        {cursors.length > 1 && <button type="button" onClick={() => setCursors([null])}>{t('common.first')}</button>}
        {data?.auditLog.pageInfo.hasNextPage && <button type="button" onClick={() => setCursors([...cursors, data.auditLog.pageInfo.endCursor ?? null])}>{t('common.next')}</button>}
      </div>
    </div>
  );
}
