// A marketer's day in the studio (issue 16, "Done when"), in headless
// Chromium against a real mosaic dev: sign in; a `banner` block type on
// `page`; the `deals` page with a banner and an uploaded image; a vip +
// mobile variant; `black-friday` in Europe/Bucharest a minute ahead with the
// variant in it; preview `deals` at the campaign's start as vip on mobile and
// on desktop; the calendar; LIVE arriving over the event stream; stop; the
// audit log. Every step is done in the pages, as a marketer would (the API
// is only read, to check what the pages did). Every page of this walk is screenshotted in light and dark (see shoot) and checked
// with axe-core (no serious or critical violation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startMosaic, launchBrowser, watchConsole, graphql, repo, artifacts, checkA11y } from './harness.mjs';
import { createBannerType, allowBannerOnPage, dropImage, startDealsEntry } from './studio-steps.mjs';

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
    await checkA11y(page, `${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

// modelAndEntry does the editor's part in the browser: the banner block
// type (heading + image) allowed on page through the field builder and its
// dry run, the picture uploaded in the asset library, and the deals page
// written with a banner holding it, then published. It returns the entry's
// id and the banner's block id.
async function modelAndEntry(page, png) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await createBannerType(page, { text: 'heading' });
  await allowBannerOnPage(page, { inspect: () => shoot(page, 'model') });
  // Deleting page is offered behind a confirmation, and refused in words
  // while its entries exist.
  await page.getByRole('button', { name: 'Delete type' }).click();
  const confirm = page.getByRole('alertdialog');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Delete type' }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await page.getByText(/content type "page" has \d+ entries: delete them first/).waitFor();

  await nav.getByRole('link', { name: 'Assets' }).click();
  await dropImage(page, png, 'deals.png');
  await page.getByRole('link', { name: 'deals.png' }).click();
  await page.getByLabel('Alt text (en)').fill('This week’s deals');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  await shoot(page, 'asset');

  const banner = await startDealsEntry(page, { text: 'heading', heading: 'This week’s deals' });
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('tab', { name: 'en' }).waitFor();
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText(/Published \(version 1\)/).waitFor();
  await shoot(page, 'entry');
  const id = new URL(page.url()).pathname.split('/').pop();
  const blockId = await banner.getAttribute('data-block-id');
  const live = await graphql(mosaic, '{ entry(slug: "deals", type: "page") { blocks { id type fields } } }', {}, admin);
  const delivered = live.data.entry.blocks.find((b) => b.type === 'banner');
  assert.equal(delivered.id, blockId);
  assert.equal(delivered.fields.heading, 'This week’s deals');
  assert.ok(delivered.fields.image?.id, 'the banner holds the uploaded picture');
  return { dealsId: id, blockId };
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
  const { dealsId, blockId } = await modelAndEntry(page, png);

  // Black Friday, in Bucharest's wall-clock time, starting at the next whole
  // minute at least 40 s away (the form has minute precision).
  const zone = 'Europe/Bucharest';
  const startMs = Math.ceil((Date.now() + 40_000) / 60_000) * 60_000;
  const local = (ms) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(ms)).replace(' ', 'T');
  await page.getByRole('link', { name: 'Campaigns' }).click();;
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
  // The entry editor's banner links to its variants.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Content' }).click();
  await page.getByRole('link', { name: /^Page/ }).click();
  // The list searches and filters on the server: the published pages
  // whose slug or title holds "DEAL" are deals alone.
  await page.getByRole('searchbox', { name: 'Search' }).fill('DEAL');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('combobox', { name: /^Status/ }).selectOption('PUBLISHED');
  await page.waitForFunction(() => [...document.querySelectorAll('tr[data-entry]')].map((r) => r.dataset.entry).join() === 'deals');
  await page.getByRole('link', { name: 'deals' }).click();
  await page.getByRole('link', { name: `Variants: Banner (${blockId})` }).click();
  const vform = page.locator('form[aria-labelledby="var-form"]');
  assert.equal(await vform.locator('select[name=target]').inputValue(), blockId);
  await vform.getByLabel('Key', { exact: true }).fill('vip-mobile');
  await vform.getByLabel('vip', { exact: true }).check();
  await vform.getByLabel('Devices', { exact: true }).fill('mobile');
  await vform.locator('select[name=campaign]').selectOption('black-friday');
  await vform.getByLabel(/Field overrides/).fill(JSON.stringify({ heading: 'VIP early access: 40% off' }));
  assert.equal(await page.locator('#variant-warnings').count(), 0);
  await vform.getByRole('button', { name: 'Save variant' }).click();
  await page.getByText('Saved variant vip-mobile.').waitFor();
  await page.locator(`[data-block="${blockId}"] [data-variant="vip-mobile"]`).waitFor();
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
  const banner = page.locator(`#preview-result [data-block="${blockId}"]`);
  await banner.waitFor();
  assert.equal(await banner.getAttribute('data-variant'), 'vip-mobile');
  assert.match(await banner.textContent(), /VIP early access/);
  assert.match(await banner.locator('.decision').textContent(), /black-friday/);
  await banner.getByRole('button', { name: 'Explain' }).click();
  await banner.locator('table.explain').waitFor();
  await shoot(page, 'preview');
  await page.locator('select[name=device]').selectOption('desktop');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator(`#preview-result [data-block="${blockId}"][data-variant="default"]`).waitFor();
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
  assert.match(await dialog.textContent(), new RegExp(`for vip-mobile's audience: ${blockId} changed: vip-mobile → default \\(heading\\)`));
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
  for (const action of ['addToRelease', 'upsertVariant', 'createCampaign', 'createContentType', 'publishEntry']) {
    assert.ok(await audit.locator(`[data-action="${action}"]`).count() >= 1, `audit has ${action}`);
  }
  await shoot(page, 'operations');
  const { data: after } = await graphql(mosaic, '{ campaign(key: "black-friday") { status stoppedBy } }', {}, admin);
  assert.equal(after.campaign.status, 'STOPPED');
  assert.ok(dealsId);
  assert.deepEqual(errors, []);
  await page.close();
});
