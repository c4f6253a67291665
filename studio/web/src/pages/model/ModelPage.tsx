// Model: the content types on the left, the chosen one (or a new one) on
// the right with its field builder and JSON Schema.
import { NavLink, Route, Routes } from 'react-router';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Loading } from '../../ui/Loading';
import { Empty, ErrorNote } from '../../ui/Notes';
import { TypesDoc } from './queries';
import { TypeEditor } from './TypeEditor';

export default function ModelPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [{ data, fetching, error }] = useQuery({ query: TypesDoc });
  return (
    <section>
      <h2>{t('model.title')}</h2>
      <div className="columns">
        <nav aria-label={t('model.title')} className="card">
          {can('model.write') && <p><NavLink to="/model/new">{t('model.new')}</NavLink></p>}
          {fetching && !data && <Loading />}
          <ErrorNote error={error} />
          {data && !data.contentTypes.length && <Empty>{t('model.empty')}</Empty>}
          <ul className="list">
            {data?.contentTypes.map((ct) => (
              <li key={ct.key}>
                <NavLink to={`/model/${ct.key}`}>{ct.name} <span className="muted">{ct.key} · {t(`model.kind.${ct.kind}`)} · {ct.fields.length}</span></NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <Routes>
          <Route index element={<p className="muted">{t('model.title')}: {data?.contentTypes.length ?? 0}</p>} />
          <Route path="new" element={<TypeEditor key="new" typeKey={null} />} />
          <Route path=":key" element={<TypeEditor typeKey={undefined} />} />
        </Routes>
      </div>
    </section>
  );
}
