// Reports (route /reports): a tab per report — the KPI dashboard by device
// and channel, the funnel, a campaign's report.
import '../pages2.css';
import './reports.css';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import type { Key } from '../../i18n/strings';
import { CampaignReport } from './CampaignReport';
import { FunnelReport } from './FunnelReport';
import { KpiDashboard } from './KpiDashboard';

const tabs: { id: string; label: Key; Component: () => React.ReactNode }[] = [
  { id: 'kpis', label: 'rep.tab.kpis', Component: KpiDashboard },
  { id: 'funnel', label: 'rep.tab.funnel', Component: FunnelReport },
  { id: 'campaign', label: 'rep.tab.campaign', Component: CampaignReport },
];

export default function ReportsPage() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const current = tabs.find((x) => x.id === search.get('tab')) ?? tabs[0];
  return (
    <section className="stack">
      <h2>{t('nav.reports')}</h2>
      <div role="tablist" className="tabs" aria-label={t('nav.reports')}>
        {tabs.map((x) => (
          <button key={x.id} type="button" role="tab" id={`tab-${x.id}`} aria-controls="report-panel" aria-selected={x.id === current.id}
            onClick={() => setSearch({ tab: x.id })}>{t(x.label)}</button>
        ))}
      </div>
      <div role="tabpanel" id="report-panel" aria-labelledby={`tab-${current.id}`}><current.Component /></div>
    </section>
  );
}
