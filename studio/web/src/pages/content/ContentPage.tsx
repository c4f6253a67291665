// Content: pick a type and a locale, list its entries, open one in the
// editor generated from the type.
import { NavLink, Route, Routes, useParams, useSearchParams } from 'react-router';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { ErrorNote } from '../../ui/Notes';
import { useSession } from '../../session/session';
import { TypesDoc } from '../model/queries';
import { useLocales } from './locales';
import { EntryList } from './EntryList';
import { EntryEditor } from './EntryEditor';

export default function ContentPage() {
  const { t } = useI18n();
  const [{ data, fetching, error }] = useQuery({ query: TypesDoc });
  return (
    <section>
      <h2>{t('content.title')}</h2>
      <div className="columns">
        <nav aria-label={t('content.type')} className="card">
          {fetching && !data && <Loading />}
          <ErrorNote error={error} />
          <ul className="list">
            {data?.contentTypes.map((ct) => (
              <li key={ct.key}><NavLink to={`/content/${ct.key}`}>{ct.name} <span className="muted">{t(`model.kind.${ct.kind}`)}</span></NavLink></li>
            ))}
          </ul>
        </nav>
        <Routes>
          <Route index element={<p className="muted">{t('content.type')}</p>} />
          <Route path=":type" element={<TypeEntries />} />
          <Route path=":type/new" element={<EntryEditor />} />
          <Route path=":type/:id" element={<EntryEditor />} />
        </Routes>
      </div>
    </section>
  );
}

function TypeEntries() {
  const { t } = useI18n();
  const { type = '' } = useParams();
  const locales = useLocales();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const locale = params.get('locale') ?? locales.default;
  return (
    <div className="stack">
      <div className="toolbar">
        <h3>{type}</h3>
        <label>{t('content.locale')}
          <select value={locale} onChange={(e) => setParams({ locale: e.target.value })}>
            {locales.supported.map((l) => <option key={l.code} value={l.code}>{l.code}</option>)}
          </select>
        </label>
        {can('content.write') && <NavLink to={`/content/${type}/new?locale=${locale}`}>{t('content.new')}</NavLink>}
      </div>
      <EntryList key={type + locale} type={type} locale={locale} />
    </div>
  );
}
