// Experiments (route /experiments, /experiments/:key): the list with each
// experiment's status and split, and an experiment's results page
// (ExperimentDetail).
import '../pages2.css';
import './reports.css';
import { Link, useParams } from 'react-router';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { Empty, ErrorNote } from '../../ui/Notes';
import { ExperimentDetail } from './ExperimentDetail';
import { pct } from './format';
import { ExperimentListDoc } from './queries';

export default function ExperimentsPage() {
  const key = (useParams()['*'] ?? '').replace(/\/$/, '');
  if (key) return <ExperimentDetail expKey={key} />;
  return <ExperimentList />;
}

function ExperimentList() {
  const { t, date, lang } = useI18n();
  const [{ data, fetching, error }] = useQuery({ query: ExperimentListDoc });
  const list = data?.experiments ?? [];
  return (
    <section className="stack">
      <h2>{t('nav.experiments')}</h2>
      {fetching && !data && <Loading />}
      <ErrorNote error={error} />
      {data && !list.length && <Empty>{t('rep.noExperiments')}</Empty>}
      {list.length > 0 && (
        <table>
          <thead><tr><th>{t('model.name')}</th><th>{t('rep.status')}</th><th>{t('rep.split')}</th><th>{t('rep.started')}</th></tr></thead>
          <tbody>{list.map((x) => {
            const total = x.arms.reduce((s, a) => s + a.weight, 0) || 1;
            return (
              <tr key={x.key} data-experiment={x.key}>
                <td><Link to={`/experiments/${x.key}`}>{x.name}</Link> <code>{x.key}</code></td>
                <td><span className={`state state-${x.status}`}>{t(`rep.status.${x.status}`)}</span></td>
                <td>{x.arms.map((a) => `${a.key} ${pct(lang, a.weight / total, 0)}`).join(' · ')}</td>
                <td>{date(x.startedAt)}</td>
              </tr>
            );
          })}</tbody>
        </table>
      )}
    </section>
  );
}
