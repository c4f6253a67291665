// The studio's report pages (issue 18, item 5) against a real mosaic dev,
// fed through the public API as a site would be: delivery answers for
// visitor ids (which write decision records), then views and conversions
// on POST /collect; the pages must show the numbers the API computes from
// the rollups. Checked: an experiment's arms, lift, interval plot and its
// CSV; no sample-ratio warning for a fair split and one in plain words once
// the configured weights no longer match it; the eligibility warning when a
// vip variant takes the test's visitors; start and stop from the page (and
// not for a viewer); a campaign's reach and outcomes with their CSVs. Each
// page is checked with axe-core in light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMosaic, launchBrowser, watchConsole, graphql, repo, artifacts, checkA11y } from './harness.mjs';

let mosaic, browser, admin, deliveryKey;

before(async () => {
  mosaic = await startMosaic();
  browser = await launchBrowser();
  admin = mosaic.mintToken('admin');
  deliveryKey = (await graphql(mosaic, 'mutation { createAPIKey(input: {name: "reports-site", scope: DELIVERY}) { key } }', {}, admin)).data.createAPIKey.key;
  for (const m of [
    '{key: "buyers", name: "Buyers", kind: CONVERSION, event: "purchase"}',
    '{key: "revenue", name: "Revenue", kind: REVENUE, event: "purchase", guardrail: true}',
  ]) await graphql(mosaic, `mutation { createMetric(input: ${m}) { key } }`);
});

after(async () => {
  await browser?.close();
  await mosaic?.stop();
});

// eventually retries fn until it returns a truthy value or the deadline
// passes (the rollups are written by the event log's consumer, a moment
// after the API accepted the events).
async function eventually(fn, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// visit is a site asking for the home page for one visitor, with the
// delivery key; it returns the block decisions.
async function visit(visitorId, context = {}) {
  const res = await fetch(`${mosaic.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': deliveryKey },
    body: JSON.stringify({
      query: 'query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) { decisionId blocks { id decision { variant experiment arm } } } }',
      variables: { ctx: { visitorId, device: 'desktop', channel: 'web', ...context } },
    }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  assert.ok(body.data.entry.decisionId, 'a decision record was written');
  return body.data.entry;
}

// collect sends client events as a browser would (POST /collect).
async function collect(events) {
  const res = await fetch(`${mosaic.url}/collect`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sentAt: new Date().toISOString(), events }),
  });
  const body = await res.json();
  assert.equal(res.status, 202, JSON.stringify(body));
  assert.equal(body.accepted, events.length, JSON.stringify(body));
}

const results = async (metric = 'buyers') => (await graphql(mosaic, `query($m: String!) { experimentResults(key: "cta-test", metric: $m) {
  visitors arms { key visitors conversions rate lift ciLow ciHigh pValue chanceToWin } srm { warning pValue expectedShare observedShare } } }`,
{ m: metric })).data.experimentResults;

// The pages' number formats (studio/web/src/pages/reports/format.ts).
const fmt = (x, d) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(x);
const pct = (x, d = 1) => `${fmt(x * 100, d)} %`;
const signed = (x) => (Math.abs(x * 100) < 0.05 ? pct(Math.abs(x)) : `${x > 0 ? '+' : '−'}${pct(Math.abs(x))}`);
const round4 = (x) => Math.round(x * 1e4) / 1e4;

const shots = process.env.MOSAIC_DOCS_SCREENSHOTS === '1' ? join(repo, 'docs') : artifacts;
async function shoot(page, name) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: join(shots, `studio-${name}${scheme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
    await checkA11y(page, `${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openStudio(token, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`${mosaic.url}/studio/`);
  await page.getByLabel('Developer token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: path }).click();
  return { page, errors, context };
}

// downloadCSV clicks a chart's CSV button and returns the file's text.
async function downloadCSV(page, chart) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-chart="${chart}"]`).getByRole('button', { name: /^Download CSV/ }).click()]);
  return readFileSync(await download.path(), 'utf8');
}

test('an experiment page shows the API’s numbers, its interval plot as CSV, and warns only when the split is off', async () => {
  // 60 desktop visitors see the home page; every third buys.
  const arms = {};
  const purchases = [];
  for (let i = 0; i < 60; i++) {
    const id = `fair-${i}`;
    const entry = await visit(id);
    const cta = entry.blocks.find((b) => b.decision.experiment === 'cta-test');
    assert.ok(cta, 'the visitor is in cta-test');
    arms[id] = cta.decision.arm;
    if (i % 3 === 0) purchases.push({ id: `buy-${i}`, type: 'conversion', visitorId: id, goal: 'purchase', value: 10 + i });
  }
  await collect(purchases);
  const r = await eventually(async () => {
    const x = await results();
    return x.visitors === 60 && x.arms.reduce((s, a) => s + a.conversions, 0) === purchases.length && x;
  }, 'the exposures and purchases to be rolled up');
  assert.equal(r.srm.warning, false, 'a hash split of 60 visitors is fair');

  // A vip variant on the test's block takes vip visitors before the test.
  const home = (await graphql(mosaic, 'query { entry(slug: "home", type: "page") { id } }')).data.entry;
  const draft = (await graphql(mosaic, 'query($id: ID!) { draft(id: $id, locale: "en") { version } }', { id: home.id }, admin)).data.draft;
  const ctaBlock = (await visit('fair-0')).blocks.find((b) => b.decision.experiment === 'cta-test').id;
  await graphql(mosaic, `mutation($id: ID!, $b: String!, $v: Int!) { upsertVariant(entryId: $id, locale: "en", blockId: $b, expectedVersion: $v,
    input: {key: "vip-cta", segments: ["vip"], priority: 10, fields: {label: "For our VIPs"}}) { version } }`, { id: home.id, b: ctaBlock, v: draft.version }, admin);
  await graphql(mosaic, 'mutation($id: ID!) { publishEntry(id: $id, locale: "en") { id } }', { id: home.id }, admin);
  for (let i = 0; i < 5; i++) {
    const entry = await visit(`vip-${i}`, { segments: ['vip'] });
    assert.equal(entry.blocks.find((b) => b.id === ctaBlock).decision.variant, 'vip-cta');
  }
  const since = new Date(Date.now() - 36e5).toISOString();
  const until = new Date(Date.now() + 36e5).toISOString();
  await eventually(async () => (await graphql(mosaic, `query($f: DateTime!, $t: DateTime!) { experimentEligibility(key: "cta-test", from: $f, to: $t) { blocks { taken } } }`,
    { f: since, t: until })).data.experimentEligibility.blocks.some((b) => b.taken === 5), 'the vip visitors to count as taken');

  const { page, errors, context } = await openStudio(mosaic.token, 'Experiments');
  await page.getByRole('link', { name: 'Call-to-action copy' }).click();
  await page.getByRole('heading', { name: /Call-to-action copy/ }).waitFor();
  const table = page.getByRole('table', { name: 'Results per arm' });
  await table.waitFor();
  assert.equal(await page.locator('[data-figure="visitors"]').textContent(), '60');
  for (const a of r.arms) {
    const row = table.locator(`[data-arm="${a.key}"]`);
    assert.equal(await row.locator('[data-col="visitors"]').textContent(), String(a.visitors));
    assert.equal(await row.locator('[data-col="conversions"]').textContent(), String(a.conversions));
    assert.equal(await row.locator('[data-col="rate"]').textContent(), pct(a.rate, 2));
    if (a.lift == null) continue;
    assert.equal(await row.locator('[data-col="lift"]').textContent(), signed(a.lift));
    assert.equal(await row.locator('[data-col="interval"]').textContent(), `${signed(a.ciLow)} … ${signed(a.ciHigh)}`);
    assert.equal(await row.locator('[data-col="chance"]').textContent(), pct(a.chanceToWin));
  }
  await page.getByText(/The split matches the configured weights/).waitFor();
  assert.equal(await page.locator('#srm-warning').count(), 0, 'no sample-ratio warning for a fair split');
  await page.getByText('5 visitors reached block').waitFor();
  assert.match(await page.locator('#eligibility').textContent(), /5 visitors reached block \S+ but a higher-precedence variant took them first .*5 by a segment variant/);

  // The interval plot downloads as exactly its data.
  const b = r.arms[1];
  assert.equal(await downloadCSV(page, 'forest'),
    `arm,lift (%),interval low (%),interval high (%)\r\nb,${round4(b.lift * 100)},${round4(b.ciLow * 100)},${round4(b.ciHigh * 100)}\r\n`);
  await shoot(page, 'experiment');

  // Another metric and level: the page reads them from the API again.
  const rev = await results('revenue');
  await page.getByRole('combobox', { name: /^Metric/ }).selectOption('revenue');
  await page.getByRole('columnheader', { name: 'Mean per visitor' }).waitFor();
  assert.equal(await table.locator('[data-arm="a"] [data-col="rate"]').textContent(), fmt(rev.arms[0].rate, 2));

  // The weights change under the running test (the arm with fewer visitors
  // now should get 90 %): the split no longer matches, and the page says
  // which arm is off, by how much, and that nothing is trustworthy.
  const [first, second] = r.arms;
  const under = first.visitors <= second.visitors ? first.key : second.key;
  const over = under === first.key ? second : first;
  await graphql(mosaic, `mutation($arms: [ArmInput!]!) { updateExperiment(input: {key: "cta-test", name: "Call-to-action copy", arms: $arms}, expectedVersion: 1) { version } }`,
    { arms: r.arms.map((a) => ({ key: a.key, weight: a.key === under ? 9 : 1 })) });
  await page.getByRole('combobox', { name: /^Metric/ }).selectOption('buyers');
  await page.getByRole('button', { name: 'Refresh' }).click();
  const warning = page.locator('#srm-warning');
  await warning.waitFor();
  assert.equal(await warning.getByRole('strong').textContent().catch(() => warning.locator('strong').textContent()),
    `Arm ${over.key} got ${pct(over.visitors / 60, 0)} of the visitors instead of 10 %: results are not trustworthy until the cause is found.`);
  assert.equal(await page.locator('#srm-note').count(), 0);
  await shoot(page, 'experiment-srm');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an experiment starts and stops from its page, and a viewer may not', async () => {
  await graphql(mosaic, 'mutation { createExperiment(input: {key: "hero-copy", name: "Hero copy", arms: [{key: "a", weight: 1}, {key: "b", weight: 1}], draft: true}) { key } }');
  const viewer = await openStudio(mosaic.mintToken('viewer'), 'Experiments');
  await viewer.page.getByRole('link', { name: 'Hero copy' }).click();
  await viewer.page.getByText('draft', { exact: true }).waitFor();
  assert.equal(await viewer.page.getByRole('button', { name: 'Start experiment' }).isDisabled(), true);
  assert.equal(await viewer.page.getByRole('button', { name: 'Stop experiment' }).isDisabled(), true);
  await viewer.context.close();

  const { page, errors, context } = await openStudio(mosaic.token, 'Experiments');
  await page.getByRole('link', { name: 'Hero copy' }).click();
  await page.getByRole('button', { name: 'Start experiment' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Start experiment' }).click();
  await page.getByText('Hero copy is running.').waitFor();
  await page.getByLabel('Winner when stopping').selectOption('b');
  await page.getByRole('button', { name: 'Stop experiment' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Stop experiment' }).click();
  await page.getByText('Hero copy is stopped.').waitFor();
  const x = (await graphql(mosaic, 'query { experiment(key: "hero-copy") { status winner startedAt stoppedAt } }')).data.experiment;
  assert.equal(x.status, 'STOPPED');
  assert.equal(x.winner, 'b');
  assert.ok(x.startedAt && x.stoppedAt);
  await page.getByText('winner b').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a campaign report shows reach per device and the outcomes the API computes, each chart as CSV', async () => {
  const { id } = (await graphql(mosaic, 'query { campaign(key: "winter-sale") { id } }')).data.campaign;
  await graphql(mosaic, 'mutation($id: ID!, $e: DateTime) { launchCampaign(id: $id, endsAt: $e) { status } }', { id, e: new Date(Date.now() + 864e5).toISOString() }, admin);
  const purchases = [];
  for (let i = 0; i < 12; i++) {
    const v = `sale-${i}`;
    const entry = await visit(v, { device: i % 3 === 0 ? 'mobile' : 'desktop' });
    assert.ok(entry.blocks.some((b) => b.decision.variant === 'winter-sale'), 'the sale is shown');
    if (i % 4 === 0) purchases.push({ id: `sale-buy-${i}`, type: 'conversion', visitorId: v, goal: 'purchase', value: 20 + i });
  }
  await collect(purchases);
  const q = `query { campaignReport(key: "winter-sale", event: "purchase", window: "72h") { reach
    devices { key reach exposures } outcomes { variant visitors conversions conversionRate revenue aov revenuePerVisitor } } }`;
  const rep = await eventually(async () => {
    const x = (await graphql(mosaic, q)).data.campaignReport;
    return x.reach === 12 && x.outcomes.reduce((s, o) => s + o.conversions, 0) === purchases.length && x;
  }, 'the campaign exposures and purchases to be rolled up');

  const { page, errors, context } = await openStudio(mosaic.token, 'Reports');
  await page.getByRole('combobox', { name: /^Campaign/ }).selectOption('winter-sale');
  await page.getByLabel('Outcome event').fill('purchase');
  await page.locator('#outcomes').waitFor();
  assert.equal(await page.locator('[data-figure="reach"]').textContent(), '12');
  for (const o of rep.outcomes) {
    const row = page.locator(`#outcomes tr[data-variant="${o.variant}"]`);
    assert.equal(await row.locator('[data-col="visitors"]').textContent(), String(o.visitors));
    assert.equal(await row.locator('[data-col="conversions"]').textContent(), String(o.conversions));
    assert.equal(await row.locator('[data-col="rate"]').textContent(), pct(o.conversionRate, 2));
    assert.equal(await row.locator('[data-col="aov"]').textContent(), fmt(o.aov, 2));
    assert.equal(await row.locator('[data-col="rpv"]').textContent(), fmt(o.revenuePerVisitor, 2));
  }
  assert.equal(await downloadCSV(page, 'reach-devices'),
    `device,reach,exposures\r\n${rep.devices.map((d) => `${d.key},${d.reach},${d.exposures}\r\n`).join('')}`);
  assert.equal(await downloadCSV(page, 'outcome-chart'),
    `variant,conversion rate (%)\r\n${rep.outcomes.map((o) => `${o.variant},${round4(o.conversionRate * 100)}\r\n`).join('')}`);
  assert.deepEqual(rep.devices.map((d) => d.key).sort(), ['desktop', 'mobile']);
  await shoot(page, 'campaign-report');
  assert.deepEqual(errors, []);
  await context.close();
});
