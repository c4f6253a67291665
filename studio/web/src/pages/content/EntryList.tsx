// The entries of one type in one locale: drafts searched (slug or title),
// filtered by status and sorted by the server, with cursor paging (the
// cursor is the last entry's id whatever the order). A change of search,
// status or order starts again from the first page.
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '../../api/query';
import type { DraftSort, EntryStatus } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { Empty, ErrorNote } from '../../ui/Notes';
import { DraftsDoc } from './queries';

const pageSize = 20;

type SortName = 'updated' | 'slug' | 'title';
const orders: Record<SortName, DraftSort> = {
  updated: { field: 'UPDATED_AT', direction: 'DESC' },
  slug: { field: 'SLUG', direction: 'ASC' },
  title: { field: 'TITLE', direction: 'ASC' },
};

export function EntryList({ type, locale }: { type: string; locale: string }) {
  const { t, date } = useI18n();
  const [cursors, setCursors] = useState<string[]>([]); // the `after` of each page so far
  const [status, setStatus] = useState<EntryStatus | ''>('');
  const [sort, setSort] = useState<SortName>('updated');
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const after = cursors[cursors.length - 1];
  const [{ data, fetching, error }] = useQuery({
    query: DraftsDoc,
    variables: { type, locale, first: pageSize, after, search: submitted || null, status: status || null, orderBy: orders[sort] },
  });
  const rows = data?.drafts ?? [];
  const restart = <T,>(set: (v: T) => void) => (v: T) => { set(v); setCursors([]); };

  return (
    <div className="stack">
      <form className="toolbar" role="search" onSubmit={(e) => { e.preventDefault(); restart(setSubmitted)(query.trim()); }}>
        <label>{t('common.search')}<input type="search" value={query} maxLength={200} onChange={(e) => { setQuery(e.target.value); if (!e.target.value) restart(setSubmitted)(''); }} aria-describedby="search-hint" /></label>
        <button type="submit">{t('common.search')}</button>
        <label>{t('content.status')}
          <select value={status} onChange={(e) => restart(setStatus)(e.target.value as EntryStatus | '')}>
            <option value="">{t('content.status.any')}</option>
            {(['DRAFT', 'PUBLISHED', 'CHANGED'] as const).map((s) => <option key={s} value={s}>{t(`content.status.${s}`)}</option>)}
          </select>
        </label>
        <label>{t('content.sort')}
          <select value={sort} onChange={(e) => restart(setSort)(e.target.value as SortName)}>
            <option value="updated">{t('content.sort.updated')}</option>
            <option value="slug">{t('content.sort.slug')}</option>
            <option value="title">{t('content.sort.title')}</option>
          </select>
        </label>
      </form>
      <p className="hint" id="search-hint">{t('content.searchHint')}</p>
      {fetching && !data && <Loading />}
      <ErrorNote error={error} />
      {data && !rows.length && <Empty>{t('content.empty')}</Empty>}
      {rows.length > 0 && (
        <table>
          <thead><tr><th>{t('content.slug')}</th><th>{t('content.status')}</th><th>{t('content.updated')}</th></tr></thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-entry={d.slug}>
                <td><Link to={`/content/${type}/${d.id}?locale=${locale}`}>{d.slug}</Link></td>
                <td className={`status-${d.status}`}>{t(`content.status.${d.status}`)} <span className="muted">v{d.version}{d.publishedVersion ? ` / live ${d.publishedVersion}` : ''}</span></td>
                <td>{date(d.updatedAt)} <span className="muted">{d.updatedBy}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" disabled={!cursors.length} onClick={() => setCursors([])}>{t('common.first')}</button>
        <button type="button" disabled={rows.length < pageSize}
          onClick={() => setCursors([...cursors, rows[rows.length - 1].id])}>{t('common.next')}</button>
      </div>
    </div>
  );
}
