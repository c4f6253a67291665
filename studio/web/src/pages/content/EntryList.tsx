// The entries of one type in one locale: cursor paging over drafts (the
// API lists them by id), a status filter and sort over the loaded page, and
// full-text search (the search API covers published content only, and says
// so).
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '../../api/query';
import type { EntryStatus } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { Empty, ErrorNote } from '../../ui/Notes';
import { DraftsDoc, SearchDoc } from './queries';

const pageSize = 20;

export function EntryList({ type, locale }: { type: string; locale: string }) {
  const { t, date } = useI18n();
  const [cursors, setCursors] = useState<string[]>([]); // the `after` of each page so far
  const [status, setStatus] = useState<EntryStatus | ''>('');
  const [sort, setSort] = useState<'updated' | 'slug'>('updated');
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const after = cursors[cursors.length - 1];
  const [{ data, fetching, error }] = useQuery({ query: DraftsDoc, variables: { type, locale, first: pageSize, after }, pause: !!submitted });
  const [search] = useQuery({ query: SearchDoc, variables: { query: submitted, type, locale }, pause: !submitted });

  let rows = [...(data?.drafts ?? [])];
  if (status) rows = rows.filter((d) => d.status === status);
  rows.sort(sort === 'slug' ? (a, b) => a.slug.localeCompare(b.slug) : (a, b) => b.updatedAt.localeCompare(a.updatedAt));

  return (
    <div className="stack">
      <form className="toolbar" role="search" onSubmit={(e) => { e.preventDefault(); setSubmitted(query.trim()); }}>
        <label>{t('common.search')}<input type="search" value={query} onChange={(e) => { setQuery(e.target.value); if (!e.target.value) setSubmitted(''); }} aria-describedby="search-hint" /></label>
        <button type="submit">{t('common.search')}</button>
        {!submitted && (
          <>
            <label>{t('content.status')}
              <select value={status} onChange={(e) => setStatus(e.target.value as EntryStatus | '')}>
                <option value="">{t('content.status.any')}</option>
                {(['DRAFT', 'PUBLISHED', 'CHANGED'] as const).map((s) => <option key={s} value={s}>{t(`content.status.${s}`)}</option>)}
              </select>
            </label>
            <label>{t('content.sort')}
              <select value={sort} onChange={(e) => setSort(e.target.value as 'updated' | 'slug')}>
                <option value="updated">{t('content.sort.updated')}</option>
                <option value="slug">{t('content.sort.slug')}</option>
              </select>
            </label>
          </>
        )}
      </form>
      <p className="hint" id="search-hint">{t('content.searchHint')}</p>
      {submitted ? (
        <>
          {search.fetching && !search.data && <Loading />}
          <ErrorNote error={search.error} />
          {search.data && !search.data.search.hits.length && <Empty>{t('content.empty')}</Empty>}
          <ul className="list">
            {search.data?.search.hits.map((h) => (
              <li key={h.cursor}><Link to={`/content/${type}/${h.entry.id}?locale=${locale}`}>{h.entry.slug}</Link></li>
            ))}
          </ul>
        </>
      ) : (
        <>
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
            <button type="button" disabled={(data?.drafts.length ?? 0) < pageSize}
              onClick={() => setCursors([...cursors, data!.drafts[data!.drafts.length - 1].id])}>{t('common.next')}</button>
          </div>
        </>
      )}
    </div>
  );
}
