// The asset library: upload (drag and drop, progress), filter by tag,
// cursor paging, and one asset's details.
import { useState } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Loading } from '../../ui/Loading';
import { Empty, ErrorNote } from '../../ui/Notes';
import { AssetDetail } from './AssetDetail';
import { AssetsDoc } from './queries';
import { Upload } from './Upload';

export default function AssetsPage() {
  const { t } = useI18n();
  return (
    <section>
      <h2>{t('assets.title')}</h2>
      <Routes>
        <Route index element={<Library />} />
        <Route path=":id" element={<AssetDetail />} />
      </Routes>
    </section>
  );
}

function Library() {
  const { t } = useI18n();
  const { can } = useSession();
  const [tag, setTag] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [{ data, fetching, error }, refetch] = useQuery({ query: AssetsDoc, variables: { tag: tag || null, after: cursors[cursors.length - 1] ?? null } });
  const nodes = data?.assets.nodes ?? [];
  return (
    <div className="stack">
      <Upload disabled={!can('content.write')} onUploaded={() => { setCursors([]); refetch({ requestPolicy: 'network-only' }); }} />
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>{t('assets.tag')}<input type="search" value={tag} onChange={(e) => { setTag(e.target.value.trim()); setCursors([]); }} /></label>
      </form>
      {fetching && !data && <Loading />}
      <ErrorNote error={error} />
      {data && !nodes.length && <Empty>{t('assets.empty')}</Empty>}
      <ul className="grid list">
        {nodes.map((a) => (
          <li key={a.id} className="card" data-asset={a.filename}>
            <NavLink to={`/assets/${a.id}`}>
              {a.contentType.startsWith('image/') && <img src={a.thumb} alt="" className="thumb" loading="lazy" />}
              {a.filename}
            </NavLink>
            <p className="muted">{a.width && a.height ? `${a.width}×${a.height} · ` : ''}{Math.round(a.size / 1024)} KiB</p>
            <p>{a.tags.map((tg) => <span key={tg} className="tag">{tg}</span>)}</p>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" disabled={!cursors.length} onClick={() => setCursors([])}>{t('common.first')}</button>
        <button type="button" disabled={!data?.assets.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, data!.assets.pageInfo.endCursor!])}>{t('common.next')}</button>
      </div>
    </div>
  );
}
