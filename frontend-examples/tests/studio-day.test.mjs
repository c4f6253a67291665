// A marketer's day in the studio (issue 16, "Done when"), in headless
// Chromium against a real mosaic dev: sign in; a `banner` block type on
// `page`; the `deals` page with a banner and an uploaded image; a vip +
// mobile variant; `black-friday` in Europe/Bucharest a minute ahead with the
// variant in it; preview `deals` at the campaign's start as vip on mobile and
// on desktop; the calendar; LIVE arriving over the event stream; stop; the
// audit log. The model, entry and upload steps go through GraphQL here: the
// pages that do them in the browser are exercised by studio.test.mjs. Every
// page of this walk is screenshotted to docs/ in light and dark and checked
// with axe-core (no serious or critical violation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startMosaic, launchBrowser, watchConsole, graphql, repo, artifacts } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const password = 'black friday all day';
let mosaic, browser, admin;

before(async () => {
  mosaic = await startMosaic();
  browser = await launchBrowser();
  admin = mosaic.mintToken('admin');
  await graphql(mosaic, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { email: 'maria@example.com', password, role: 'ADMIN' } }, admin);
});

after(async () => {
  await browser?.close();
  await mosaic?.stop();
});

// axeCheck runs axe-core in the page (evaluated over the DevTools protocol,
// so the studio's CSP stays as it is) and fails on serious or critical
// violations, naming each rule and its first nodes.
async function axeCheck(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), [], `axe on ${name}`);
}

// shoot saves the page in light and dark as studio-<name>[-dark].png and
// checks both with axe. The pictures go to test-artifacts/; with
// MOSAIC_DOCS_SCREENSHOTS=1 they refresh the README's in docs/ (a test run
// must not rewrite tracked files).
const shots = process.env.MOSAIC_DOCS_SCREENSHOTS === '1' ? join(repo, 'docs') : artifacts;
async function shoot(page, name) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: join(shots, `studio-${name}${scheme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
    await axeCheck(page, `${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function uploadImage(png) {
  const form = new FormData();
  form.append('operations', JSON.stringify({
    query: 'mutation($file: Upload!) { uploadAsset(file: $file) { id } }', variables: { file: null },
  }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([png], { type: 'image/png' }), 'deals.png');
  const res = await fetch(`${mosaic.url}/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` }, body: form });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data.uploadAsset.id;
}

// The model and the entry, through the API (their pages: studio.test.mjs).
async function modelAndEntry(png) {
  await graphql(mosaic, `mutation { createContentType(input: {key: "banner", name: "Banner", kind: BLOCK, fields: [
    {key: "heading", kind: TEXT, required: true}, {key: "image", kind: ASSET}]}) { key } }`, {}, admin);
  const { data } = await graphql(mosaic, '{ contentType(key: "page") { version fields { key kind list allowedTypes required localized } } }', {}, admin);
  const blocks = data.contentType.fields.find((f) => f.kind === 'BLOCKS');
  const { kind, key, list, required, localized } = blocks;
  await graphql(mosaic, 'mutation($v: Int!, $f: FieldInput!) { changeContentType(key: "page", changes: {changeFields: [$f]}, expectedVersion: $v) { applied } }',
    { v: data.contentType.version, f: { key, kind, list, required, localized, allowedTypes: [...(blocks.allowedTypes ?? []), 'banner'] } }, admin);
  const image = await uploadImage(png);
  const created = await graphql(mosaic, 'mutation($f: JSON!) { createEntry(input: {type: "page", slug: "deals", fields: $f}) { id version } }', {
    f: { title: 'Deals', [key]: [{ id: 'deals-banner', type: 'banner', fields: { heading: 'This week’s deals', image } }] },
  }, admin);
  const entry = created.data.createEntry;
  await graphql(mosaic, 'mutation($id: ID!, $v: Int) { publishEntry(id: $id, expectedVersion: $v) { version } }', { id: entry.id, v: entry.version }, admin);
  return entry.id;
}

test('a marketer plans, previews, launches and stops Black Friday on the deals page', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchConsole(page);
  await page.goto(`${mosaic.url}/studio/`);
  await page.getByLabel('Email', { exact: true }).fill('maria@example.com');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  assert.match(await page.locator('.role').textContent(), /admin/);

  const png = await page.screenshot({ clip: { x: 0, y: 0, width: 64, height: 48 } });
  const dealsId = await modelAndEntry(png);

  // Black Friday, in Bucharest's wall-clock time, starting at the next whole
  // minute at least 40 s away (the form has minute precision).
  const zone = 'Europe/Bucharest';
  const startMs = Math.ceil((Date.now() + 40_000) / 60_000) * 60_000;
  const local = (ms) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(ms)).replace(' ', 'T');
  await page.getByRole('link', { name: 'Campaigns' }).click();
  await page.getByRole('button', { name: 'New campaign' }).click();
  const form = page.locator('form[aria-labelledby="new-campaign"]');
  await form.getByLabel('Key', { exact: true }).fill('black-friday');
  await form.getByLabel('Name', { exact: true }).fill('Black Friday');
  await form.locator('select[name=timeZone]').selectOption(zone);
  await form.getByLabel('Priority', { exact: true }).fill('10');
  await form.getByLabel(`Starts (${zone})`, { exact: true }).fill(local(startMs));
  await form.getByLabel(`Ends (${zone})`, { exact: true }).fill(local(startMs + 3_600_000));
  assert.match(await form.locator('[data-browser-time]').first().textContent(), /in your zone/);
  await form.getByRole('button', { name: 'Create campaign' }).click();
  const row = page.locator('tr[data-campaign="black-friday"]');
  await row.locator('[data-status="SCHEDULED"]').waitFor();
  const { data: camp } = await graphql(mosaic, '{ campaign(key: "black-friday") { startsAt timeZone startsAtLocal } }', {}, admin);
  assert.equal(Date.parse(camp.campaign.startsAt), startMs);
  assert.equal(camp.campaign.timeZone, zone);

  // The vip + mobile variant on the banner, owned by the campaign; the
  // warnings see nothing wrong with it.
  await page.getByRole('link', { name: 'Variants' }).click();
  await page.getByRole('link', { name: /page\/deals/ }).click();
  const vform = page.locator('form[aria-labelledby="var-form"]');
  await vform.locator('select[name=target]').selectOption('deals-banner');
  await vform.getByLabel('Key', { exact: true }).fill('vip-mobile');
  await vform.getByLabel('vip', { exact: true }).check();
  await vform.getByLabel('Devices', { exact: true }).fill('mobile');
  await vform.locator('select[name=campaign]').selectOption('black-friday');
  await vform.getByLabel(/Field overrides/).fill(JSON.stringify({ heading: 'VIP early access: 40% off' }));
  assert.equal(await page.locator('#variant-warnings').count(), 0);
  await vform.getByRole('button', { name: 'Save variant' }).click();
  await page.getByText('Saved variant vip-mobile.').waitFor();
  await page.locator('[data-block="deals-banner"] [data-variant="vip-mobile"]').waitFor();
  // A second variant with the same targeting, later in the list, is flagged
  // before it is saved: it can never win.
  await vform.getByLabel('Key', { exact: true }).fill('shadow');
  await page.locator('#variant-warnings [data-kind="neverWins"]').getByText(/shadow.*can never win.*vip-mobile/).waitFor();
  await shoot(page, 'variants');

  // Put the draft (with its variant) in the campaign's release.
  await page.getByRole('link', { name: 'Campaigns' }).click();
  await row.getByRole('button', { name: 'Black Friday' }).click();
  const detail = page.locator('[data-detail="black-friday"]');
  await detail.locator('select[name=releaseEntry]').selectOption(`${dealsId}/en`);
  await detail.getByRole('button', { name: 'Add to release' }).click();
  await detail.locator('#release').getByText('page/deals').waitFor();

  // Preview deals at the campaign's start: vip on mobile sees the variant,
  // vip on desktop the default, each with its reason.
  await page.getByRole('link', { name: 'Preview' }).click();
  await page.locator('select[name=entry]').selectOption('page/deals');
  await page.getByLabel('vip', { exact: true }).check();
  await page.locator('select[name=device]').selectOption('mobile');
  await page.locator('select[name=campaignStart]').selectOption('black-friday');
  await page.getByRole('button', { name: 'Show' }).click();
  const banner = page.locator('#preview-result [data-block="deals-banner"]');
  await banner.waitFor();
  assert.equal(await banner.getAttribute('data-variant'), 'vip-mobile');
  assert.match(await banner.textContent(), /VIP early access/);
  assert.match(await banner.locator('.decision').textContent(), /black-friday/);
  await banner.getByRole('button', { name: 'Explain' }).click();
  await banner.locator('table.explain').waitFor();
  await shoot(page, 'preview');
  await page.locator('select[name=device]').selectOption('desktop');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('#preview-result [data-block="deals-banner"][data-variant="default"]').waitFor();
  assert.match(await banner.textContent(), /This week’s deals/);

  // The calendar shows it; then LIVE arrives over the event stream (the
  // page is not reloaded and does not poll).
  await page.getByRole('link', { name: 'Campaigns' }).click();
  await page.locator('.fc [data-campaign="black-friday"][data-kind="window"]').first().waitFor();
  await page.getByText('live updates: on').waitFor();
  await shoot(page, 'campaigns');
  await row.locator('[data-status="LIVE"]').waitFor({ timeout: startMs - Date.now() + 30_000 });
  assert.ok(Date.now() >= startMs);
  await page.locator('#live-feed').getByText('black-friday: campaign.started').waitFor();

  // Stop, after a confirmation naming the entry that changes.
  await row.getByRole('button', { name: 'Stop' }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.locator('[data-entry="deals"]').waitFor();
  assert.match(await dialog.textContent(), /page\/deals\/en.*vip-mobile/);
  // The diff for the variant's own audience: vip on mobile goes back to the default.
  assert.match(await dialog.textContent(), /for vip-mobile's audience: deals-banner changed: vip-mobile → default \(heading\)/);
  await dialog.getByRole('button', { name: 'Stop' }).click();
  await row.locator('[data-status="STOPPED"]').waitFor();

  // Audiences: the rule editor answers as you type, with line and column.
  await page.getByRole('link', { name: 'Audiences' }).click();
  await page.getByRole('button', { name: 'New segment' }).click();
  await page.locator('textarea[name=rule]').fill('traits.visits > 3 &&\n  context.devise == "mobile"');
  await page.locator('[data-rule="invalid"]').getByText(/line 2, column \d+/).waitFor();
  await page.locator('textarea[name=rule]').fill('traits.visits > 3 && context.device == "mobile"');
  await page.locator('[data-rule="valid"]').waitFor();
  await shoot(page, 'audiences');

  // The audit log has the day: the stop, the release, the variant.
  await page.getByRole('link', { name: 'Operations' }).click();
  await page.getByRole('tab', { name: 'Audit log' }).click();
  const audit = page.locator('#audit-log');
  await audit.locator('[data-action="stopCampaign"]').first().waitFor();
  for (const action of ['addToRelease', 'upsertVariant', 'createCampaign']) {
    assert.ok(await audit.locator(`[data-action="${action}"]`).count() >= 1, `audit has ${action}`);
  }
  await shoot(page, 'operations');
  const { data: after } = await graphql(mosaic, '{ campaign(key: "black-friday") { status stoppedBy } }', {}, admin);
  assert.equal(after.campaign.status, 'STOPPED');
  assert.ok(dealsId);
  assert.deepEqual(errors, []);
  await page.close();
});
