// The studio's pages, in nav order. A page names the permission it needs to
// appear (null: any signed-in user); pages load lazily so the first load
// carries only the shell and sign-in. To add a page: a component under
// pages/, a line here, and its nav label in i18n/strings.ts.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Key } from './i18n/strings';
import { setApiStatus } from './api/status';

export type PageDef = {
  path: string;
  nav: Key;
  permission: string | null;
  component: LazyExoticComponent<ComponentType>;
};

// page loads a page's code on first visit; a failure means the server is
// unreachable, which the shell's banner says.
function page(load: () => Promise<{ default: ComponentType }>) {
  return lazy(() => load().catch((e: Error) => {
    setApiStatus(false, e.message);
    throw e;
  }));
}

export const pages: PageDef[] = [
  { path: 'model/*', nav: 'nav.model', permission: 'content.read', component: page(() => import('./pages/model/ModelPage')) },
  { path: 'content/*', nav: 'nav.content', permission: 'content.read', component: page(() => import('./pages/content/ContentPage')) },
  { path: 'assets/*', nav: 'nav.assets', permission: 'content.read', component: page(() => import('./pages/assets/AssetsPage')) },
  { path: 'campaigns/*', nav: 'nav.campaigns', permission: 'content.read', component: page(() => import('./pages/campaigns/CampaignsPage')) },
  { path: 'preview/*', nav: 'nav.preview', permission: 'content.read', component: page(() => import('./pages/preview/PreviewPage')) },
  { path: 'variants/*', nav: 'nav.variants', permission: 'content.read', component: page(() => import('./pages/variants/VariantsPage')) },
  { path: 'experiments/*', nav: 'nav.experiments', permission: 'content.read', component: page(() => import('./pages/reports/ExperimentsPage')) },
  { path: 'reports/*', nav: 'nav.reports', permission: 'content.read', component: page(() => import('./pages/reports/ReportsPage')) },
  { path: 'audiences/*', nav: 'nav.audiences', permission: 'content.read', component: page(() => import('./pages/audiences/AudiencesPage')) },
  { path: 'screens/*', nav: 'nav.screens', permission: 'content.read', component: page(() => import('./pages/screens/ScreensPage')) },
  { path: 'ops/*', nav: 'nav.ops', permission: null, component: page(() => import('./pages/ops/OpsPage')) },
];
