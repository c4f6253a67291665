// The studio's report pages (issue 18, item 5) against a real mosaic dev,
// fed through the public API as a site would be: delivery answers for
// visitor ids (which write decision records), then views and conversions
// on POST /collect; the pages must show the numbers the API computes from
// the rollups. Checked: an experiment's arms, lift, interval plot and its
// CSV; no sample-ratio warning for a fair split and one in plain words once
// the configured weights no longer match it; the eligibility warning when a
// vip variant takes the test's visitors; start and stop from the page (and
// not for a viewer); the daily series and a breakdown by device; a
// campaign's reach and outcomes; the funnel, with a person who crossed
// from phone to laptop; the KPI dashboard by device and channel — every
// chart's CSV against the API's numbers. Each page is checked with
// axe-core in light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
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
// delivery key; it returns the block decisions. With show, the site also
// reports the view of each decided block, as a site that measures does:
// an answer served from a cache to another visitor of the same class
// carries the decisionId of the delivery that computed it, and the view
// naming it is what counts this visitor's exposure.
async function visit(visitorId, context = {}, { show = false } = {}) {
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
  if (show) {
    await collect(body.data.entry.blocks.map((b) => ({ id: randomUUID(), type: 'view', visitorId, decisionId: body.data.entry.decisionId, blockId: b.id })));
  }
  return body.data.entry;
}

// collect sends client events as a browser would (POST /collect).
let purchasesSent = 0;
async function collect(events) {
  purchasesSent += events.filter((e) => e.type === 'conversion').length;
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
  visitors arms { key visitors conversions rate lift ciLow ciHigh pValue chanceToWin } srm { warning pValue expectedShare observedShare }
  daily { day arms { key visitors cumulativeRate } } } }`,
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
    const entry = await visit(id, {}, { show: true });
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
    const entry = await visit(`vip-${i}`, { segments: ['vip'] }, { show: true });
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

  // The daily series: all of today's visitors, per arm.
  assert.equal(await downloadCSV(page, 'daily-visitors'),
    `day,${r.arms.map((a) => a.key).join(',')}\r\n${r.daily.map((d) => `${d.day},${d.arms.map((a) => a.visitors).join(',')}\r\n`).join('')}`);
  assert.equal(await downloadCSV(page, 'daily-rate'),
    `day,${r.arms.map((a) => a.key).join(',')}\r\n${r.daily.map((d) => `${d.day},${d.arms.map((a) => round4(a.cumulativeRate * 100)).join(',')}\r\n`).join('')}`);
  assert.deepEqual(r.daily.at(-1).arms.map((a) => a.visitors), r.arms.map((a) => a.visitors), 'every visitor came today');
  await shoot(page, 'experiment');

  // Broken down by device: every fair visitor was on a desktop.
  await page.getByRole('combobox', { name: /^Break down by/ }).selectOption('DEVICE');
  const byDevice = page.getByRole('table', { name: /Results by Device/ });
  await byDevice.waitFor();
  assert.deepEqual(await byDevice.locator('tbody tr').evaluateAll((rows) => [...new Set(rows.map((r) => r.dataset.cell))]), ['desktop']);
  await page.getByRole('combobox', { name: /^Break down by/ }).selectOption('');

  // Another metric and level: the page reads them from the API again.
  const rev = await results('revenue');
  await page.getByRole('combobox', { name: /^Metric/ }).selectOption('revenue');
  await page.getByRole('columnheader', { name: 'Mean per visitor' }).waitFor();
  assert.equal(await table.locator('[data-arm="a"] [data-col="rate"]').textContent(), fmt(rev.arms[0].rate, 2));

  // A 90 % level, read sequentially (anytime-valid): wider intervals, as the API gives them.
  await page.getByRole('combobox', { name: /^Metric/ }).selectOption('buyers');
  await page.getByRole('combobox', { name: /^Significance level/ }).selectOption('0.1');
  await page.getByRole('checkbox', { name: /^Sequential/ }).check();
  await page.getByText('90 % · sequential').waitFor();
  const seq = (await graphql(mosaic, `query { experimentResults(key: "cta-test", metric: "buyers", alpha: 0.1, sequential: true) {
    arms { key ciLow ciHigh } } }`)).data.experimentResults.arms[1];
  await table.locator(`[data-arm="${seq.key}"] [data-col="interval"]`).filter({ hasText: `${signed(seq.ciLow)} … ${signed(seq.ciHigh)}` }).waitFor();
  assert.ok(seq.ciHigh - seq.ciLow > r.arms[1].ciHigh - r.arms[1].ciLow, 'a sequential interval is wider');
  await page.getByRole('combobox', { name: /^Significance level/ }).selectOption('0.05');
  await page.getByRole('checkbox', { name: /^Sequential/ }).uncheck();

  // The weights change under the running test (the arm with fewer visitors
  // now should get 90 %): the split no longer matches, and the page says
  // which arm is off, by how much, and that nothing is trustworthy.
  const [first, second] = r.arms;
  const under = first.visitors <= second.visitors ? first.key : second.key;
  const over = under === first.key ? second : first;
  await graphql(mosaic, `mutation($arms: [ArmInput!]!) { updateExperiment(input: {key: "cta-test", name: "Call-to-action copy", arms: $arms}, expectedVersion: 1) { version } }`,
    { arms: r.arms.map((a) => ({ key: a.key, weight: a.key === under ? 9 : 1 })) });
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
  await graphql(mosaic, 'mutation($id: ID!) { updateCampaign(id: $id, input: {cost: {amount: 150, currency: "EUR"}}) { id } }', { id }, admin);
  const purchases = [];
  for (let i = 0; i < 12; i++) {
    const v = `sale-${i}`;
    const entry = await visit(v, { device: i % 3 === 0 ? 'mobile' : 'desktop' }, { show: true });
    assert.ok(entry.blocks.some((b) => b.decision.variant === 'winter-sale'), 'the sale is shown');
    if (i % 4 === 0) purchases.push({ id: `sale-buy-${i}`, type: 'conversion', visitorId: v, goal: 'purchase', value: 20 + i });
  }
  await collect(purchases);
  const q = `query { campaignReport(key: "winter-sale", event: "purchase", window: "72h") { reach
    devices { key reach exposures } outcomes { variant visitors conversions conversionRate revenue aov revenuePerVisitor } cpa roas } }`;
  const rep = await eventually(async () => {
    const x = (await graphql(mosaic, q)).data.campaignReport;
    return x.reach === 12 && x.outcomes.reduce((s, o) => s + o.conversions, 0) === purchases.length && x;
  }, 'the campaign exposures and purchases to be rolled up');

  // From the campaign's own page to its report.
  const { page, errors, context } = await openStudio(mosaic.token, 'Campaigns');
  await page.locator('tr[data-campaign="winter-sale"]').getByRole('button', { name: 'Winter sale' }).click();
  await page.getByRole('link', { name: 'Reach and outcomes of this campaign' }).click();
  await page.getByRole('tab', { name: 'Campaign report', selected: true }).waitFor();
  const picker = page.getByRole('combobox', { name: /^Campaign/ });
  await picker.locator('option[value="winter-sale"]').waitFor({ state: 'attached' }); // the campaign list has loaded
  assert.equal(await picker.inputValue(), 'winter-sale');
  await page.getByLabel('Outcome event').fill('purchase');
  await page.locator('#outcomes').waitFor();
  assert.equal(await page.locator('[data-figure="reach"]').textContent(), '12');
  // What the sale cost, per buyer (150 EUR over 3 buyers) and against its revenue.
  assert.equal(rep.cpa, 50);
  assert.equal(await page.locator('[data-figure="cost"]').textContent(), `${fmt(150, 2)} EUR`);
  assert.equal(await page.locator('[data-figure="cpa"]').textContent(), `${fmt(50, 2)} EUR`);
  assert.equal(await page.locator('[data-figure="roas"]').textContent(), `${fmt(rep.roas, 2)}×`);
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

// funnelSteps sends one person's steps as events, each dated minutes ago:
// purchases as conversions, the rest as track events. The funnel's first
// step is a track event, not a view: the reports above had their visitors
// report views of what they were shown, and every one of them would enter
// a funnel that starts at "view".
async function funnelSteps(visitor, steps) {
  const events = steps.map(([kind, minutesAgo], i) => {
    const timestamp = new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const id = `${visitor}-${kind}-${i}`;
    if (kind === 'purchase') return { id, type: 'conversion', visitorId: visitor, goal: 'purchase', value: 40, timestamp };
    return { id, type: 'track', visitorId: visitor, name: kind, timestamp };
  });
  await collect(events);
}

test('the funnel shows each step, the drop-off and a phone-to-laptop purchase, as the API counts them', async () => {
  for (let i = 0; i < 6; i++) {
    const v = `f-${i}`;
    await visit(v, { device: i % 2 ? 'mobile' : 'desktop' }); // the device the funnel breaks down by
    await funnelSteps(v, [['browse', 10], ...(i < 4 ? [['add-to-cart', 8]] : []), ...(i < 2 ? [['purchase', 5]] : [])]);
  }
  // One person: looks and fills the cart on the phone, buys on the laptop.
  await visit('x-phone', { device: 'mobile' });
  await visit('x-laptop', { device: 'desktop' });
  await collect([
    { id: 'x-who-1', type: 'identify', visitorId: 'x-phone', userId: 'user-x' },
    { id: 'x-who-2', type: 'identify', visitorId: 'x-laptop', userId: 'user-x' },
  ]);
  await funnelSteps('x-phone', [['browse', 9], ['add-to-cart', 7]]);
  await funnelSteps('x-laptop', [['purchase', 4]]);

  const steps = ['browse', 'add-to-cart', 'purchase'];
  const f = await eventually(async () => {
    const x = (await graphql(mosaic, `query($s: [String!]!) { funnel(steps: $s, window: "24h", breakdown: [DEVICE]) {
      total { people crossDevice steps { index event people conversionRate dropOff crossDevice } } groups { device people } } }`, { s: steps })).data.funnel;
    return x.total.people === 7 && x.total.crossDevice === 1 && x;
  }, 'the funnel events and the merge to land');
  assert.deepEqual(f.total.steps.map((x) => x.people), [7, 5, 3]);
  assert.deepEqual(f.total.steps.map((x) => x.crossDevice), [0, 0, 1]);

  const { page, errors, context } = await openStudio(mosaic.token, 'Reports');
  await page.getByRole('tab', { name: 'Funnel' }).click();
  await page.getByRole('textbox', { name: 'Steps' }).fill(steps.join(', '));
  await page.getByRole('button', { name: 'Show funnel' }).click();
  await page.locator('#funnel-steps tr[data-step="3"]').waitFor();
  assert.equal(await page.locator('[data-figure="people"]').textContent(), '7');
  assert.equal(await page.locator('[data-figure="cross"]').textContent(), '1 (14 %)');
  for (const x of f.total.steps) {
    const row = page.locator(`#funnel-steps tr[data-step="${x.index}"]`);
    assert.equal(await row.locator('[data-col="people"]').textContent(), String(x.people));
    assert.equal(await row.locator('[data-col="rate"]').textContent(), pct(x.conversionRate));
    assert.equal(await row.locator('[data-col="cross"]').textContent(), String(x.crossDevice));
  }
  assert.equal(await downloadCSV(page, 'funnel'),
    `step,event,people,conversion rate (%),drop-off\r\n${f.total.steps.map((x) => `${x.index},${x.event},${x.people},${round4(x.conversionRate * 100)},${x.dropOff}\r\n`).join('')}`);
  await page.locator('[data-chart="funnel-devices"]').waitFor();
  await shoot(page, 'funnel');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the KPI dashboard shows conversion rate, AOV, revenue per visitor and LTV by device and channel, as the API computes them', async () => {
  const cell = 'device channel visitors conversions conversionRate aov revenuePerVisitor ltv';
  const q = `query { byDevice: kpis(breakdown: [DEVICE]) { total { ${cell} } cells { ${cell} } } byChannel: kpis(breakdown: [CHANNEL]) { cells { ${cell} } } }`;
  let previous = '';
  const k = await eventually(async () => {
    const x = (await graphql(mosaic, q)).data;
    const same = JSON.stringify(x) === previous;
    previous = JSON.stringify(x);
    return x.byDevice.total.conversions === purchasesSent && same && x;
  }, `the KPI rollup to count all ${purchasesSent} purchases`);

  const { page, errors, context } = await openStudio(mosaic.token, 'Reports');
  await page.getByRole('tab', { name: 'KPIs' }).click();
  await page.locator('#kpi-device').waitFor();
  const total = k.byDevice.total;
  assert.equal(await page.locator('[data-figure="visitors"]').textContent(), fmt(total.visitors, 0));
  assert.equal(await page.locator('[data-figure="rate"]').textContent(), pct(total.conversionRate, 2));
  assert.equal(await page.locator('[data-figure="aov"]').textContent(), fmt(total.aov, 2));
  assert.equal(await page.locator('[data-figure="rpv"]').textContent(), fmt(total.revenuePerVisitor, 2));
  assert.equal(await page.locator('[data-figure="ltv"]').textContent(), fmt(total.ltv, 2));
  for (const c of k.byDevice.cells) {
    const row = page.locator(`#kpi-device tr[data-cell="${c.device}"]`);
    assert.equal(await row.locator('[data-col="visitors"]').textContent(), String(c.visitors));
    assert.equal(await row.locator('[data-col="rate"]').textContent(), pct(c.conversionRate, 2));
  }
  assert.ok(k.byDevice.cells.some((c) => c.device === 'mobile') && k.byDevice.cells.some((c) => c.device === 'desktop'));
  const label = (v) => v || '(unknown)';
  assert.equal(await downloadCSV(page, 'kpi-rate-device'),
    `device,conversion rate (%)\r\n${k.byDevice.cells.map((c) => `${label(c.device)},${round4(c.conversionRate * 100)}\r\n`).join('')}`);
  assert.equal(await downloadCSV(page, 'kpi-rate-channel'),
    `channel,conversion rate (%)\r\n${k.byChannel.cells.map((c) => `${label(c.channel)},${round4(c.conversionRate * 100)}\r\n`).join('')}`);
  await shoot(page, 'kpis');
  assert.deepEqual(errors, []);
  await context.close();
});
