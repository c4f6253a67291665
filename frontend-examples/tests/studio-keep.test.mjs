// The studio's editors save whole objects (changeContentType's changeFields
// replaces a field's definition, upsertVariant a variant, updateExperiment
// an experiment): settings set through the API — a reference list's
// recommendation source, a variant's frequency cap, an experiment's
// metrics, planned sample size and cap — must survive an unrelated edit in
// the studio, and the recommendation source and the cap can be set there.
// Checked through the API after each save, against a real mosaic dev.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMosaic, launchBrowser, watchConsole, graphql } from './harness.mjs';

let mosaic, browser, admin;

before(async () => {
  mosaic = await startMosaic();
  browser = await launchBrowser();
  admin = mosaic.mintToken('admin');
});

after(async () => {
  await browser?.close();
  await mosaic?.stop();
});

const api = (q, v = {}) => graphql(mosaic, q, v, admin).then((r) => r.data);

async function openStudio(link) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`${mosaic.url}/studio/`);
  await page.getByLabel('Developer token').fill(admin);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
  return { page, errors, context };
}

const fieldOf = async (key) => (await api(`query { contentType(key: "shelf") { fields { key name
  recommend { source by window limit types tags excludePurchased } } } }`)).contentType.fields.find((f) => f.key === key);

// applyTypeChanges previews the edited type and applies it, waiting for
// the next version (an earlier save's note stays on the page).
async function applyTypeChanges(page) {
  const { version } = (await api('query { contentType(key: "shelf") { version } }')).contentType;
  await page.getByRole('button', { name: 'Preview changes' }).click();
  const plan = page.getByRole('region', { name: 'Preview changes' });
  await plan.getByRole('button', { name: 'Apply changes' }).click();
  await page.getByText(`Saved as version ${version + 1}.`).waitFor();
  // The form is reset from the saved type once it is read again: edit after.
  await page.getByRole('heading', { name: new RegExp(`Version ${version + 1}$`) }).waitFor();
}

test('a field’s recommendation source survives a studio edit and is edited there', async () => {
  await api(`mutation { createContentType(input: {key: "shelf", name: "Shelf", fields: [
    {key: "title", kind: TEXT},
    {key: "related", name: "Related", kind: REFERENCE, list: true, max: 6,
     recommend: {source: "popular", by: "device", window: "24h", limit: 4, tags: ["winter"], excludePurchased: true}}]}) { key } }`);
  const { page, errors, context } = await openStudio('Model');
  await page.getByRole('link', { name: /^Shelf shelf/ }).click();
  const related = page.getByRole('group', { name: 'related' });
  await related.waitFor();
  // The section shows what the API set.
  assert.equal(await related.locator('[name=recommendSource]').inputValue(), 'popular');
  assert.equal(await related.locator('[name=recommendWindow]').inputValue(), '24h');

  // An unrelated edit: the field's label.
  await related.getByLabel('Label', { exact: true }).fill('You may also like');
  await applyTypeChanges(page);
  assert.deepEqual(await fieldOf('related'), {
    key: 'related', name: 'You may also like',
    recommend: { source: 'popular', by: 'device', window: '24h', limit: 4, types: null, tags: ['winter'], excludePurchased: true },
  });

  // A window the server refuses: its message beside the input, nothing saved.
  await related.locator('[name=recommendWindow]').fill('36h');
  await page.getByRole('button', { name: 'Preview changes' }).click();
  await related.locator('[data-error=window]').filter({ hasText: /whole hours up to 24h/ }).waitFor();
  assert.equal((await fieldOf('related')).recommend.window, '24h');

  // Edited through the form: alsoViewed takes neither audience nor window.
  await related.locator('[name=recommendSource]').selectOption('alsoViewed');
  await related.locator('[name=recommendLimit]').fill('8');
  await related.getByLabel('Leave out what the visitor bought').uncheck();
  await applyTypeChanges(page);
  assert.deepEqual((await fieldOf('related')).recommend,
    { source: 'alsoViewed', by: null, window: null, limit: 8, types: null, tags: ['winter'], excludePurchased: false });

  // Switched off in the studio: gone.
  await related.getByLabel(/Deliver recommended entries/).uncheck();
  await applyTypeChanges(page);
  assert.equal((await fieldOf('related')).recommend, null);
  assert.deepEqual(errors.filter((e) => !/status of 4\d\d|BAD_USER_INPUT/.test(e)), []);
  await context.close();
});

test('a variant’s cap survives a priority edit and is edited in the studio', async () => {
  const home = (await api('query { entry(slug: "home", type: "page") { id } }')).entry;
  const v0 = (await api('query($id: ID!) { draft(id: $id, locale: "en") { version } }', { id: home.id })).draft.version;
  await api(`mutation($id: ID!, $v: Int!) { upsertVariant(entryId: $id, locale: "en", expectedVersion: $v,
    input: {key: "mobile-cap", devices: ["mobile"], priority: 1, cap: {max: 3, per: "WEEK", timeZone: "Europe/Bucharest"}}) { version } }`, { id: home.id, v: v0 });
  const variant = async () => (await api('query($id: ID!) { draft(id: $id, locale: "en") { variants } }', { id: home.id }))
    .draft.variants.find((v) => v.key === 'mobile-cap');

  const { page, errors, context } = await openStudio('Variants');
  await page.getByRole('link', { name: /^page\/home \(en\)/ }).click();
  await page.locator('[data-variant=mobile-cap] [data-cap]').filter({ hasText: '3/week Europe/Bucharest' }).waitFor();

  // Edit loads it; only the priority changes.
  await page.getByRole('button', { name: 'Edit: mobile-cap' }).click();
  assert.equal(await page.locator('[name=capMax]').inputValue(), '3');
  await page.getByLabel('Priority', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Save variant' }).click();
  await page.getByText('Saved variant mobile-cap.').waitFor();
  let v = await variant();
  assert.equal(v.priority, 5);
  assert.deepEqual(v.cap, { max: 3, per: 'WEEK', timeZone: 'Europe/Bucharest' });

  // Replaced by typing its key without Edit (a fresh form): the cap shown is kept.
  await page.reload();
  await page.locator('[data-variant=mobile-cap]').waitFor();
  await page.locator('[name=variantKey]').fill('mobile-cap');
  await page.getByLabel('Priority', { exact: true }).fill('6');
  await page.locator('[name=devices]').fill('mobile');
  assert.equal(await page.locator('[name=capMax]').inputValue(), '3');
  await page.getByRole('button', { name: 'Save variant' }).click();
  await page.getByText('Saved variant mobile-cap.').waitFor();
  await page.locator('[data-variant=mobile-cap]').filter({ hasText: 'priority 6' }).waitFor();
  v = await variant();
  assert.equal(v.priority, 6);
  assert.deepEqual(v.cap, { max: 3, per: 'WEEK', timeZone: 'Europe/Bucharest' });

  // Edited: a rolling 168h cap of 2, counted per channel.
  await page.getByRole('button', { name: 'Edit: mobile-cap' }).click();
  await page.locator('[name=capMax]').fill('2');
  await page.locator('[name=capPer]').selectOption('ROLLING');
  await page.locator('[name=capDuration]').fill('168h');
  await page.locator('[name=capZone]').selectOption('');
  await page.getByLabel('Count each channel apart').check();
  await page.getByRole('button', { name: 'Save variant' }).click();
  await page.locator('[data-variant=mobile-cap] [data-cap]').filter({ hasText: '2/168h per channel' }).waitFor();
  assert.deepEqual((await variant()).cap, { max: 2, per: '168h', perChannel: true });

  // A bad duration: the server's message beside the input, nothing saved.
  await page.getByRole('button', { name: 'Edit: mobile-cap' }).click();
  await page.locator('[name=capDuration]').fill('soon');
  await page.getByRole('button', { name: 'Save variant' }).click();
  await page.locator('[data-cap] [data-error=per]').waitFor();
  assert.deepEqual((await variant()).cap, { max: 2, per: '168h', perChannel: true });
  assert.deepEqual(errors.filter((e) => !/status of 4\d\d|BAD_USER_INPUT/.test(e)), []);
  await context.close();
});

test('an experiment’s metrics, planned sample size and cap survive a studio edit', async () => {
  await api('mutation { createMetric(input: {key: "buyers", name: "Buyers", kind: CONVERSION, event: "purchase"}) { key } }');
  await api('mutation { createMetric(input: {key: "bounces", name: "Bounces", kind: CONVERSION, event: "bounce"}) { key } }');
  await api(`mutation { createExperiment(input: {key: "keep-test", name: "Keep", arms: [{key: "a", weight: 1}, {key: "b", weight: 1}],
    primaryMetric: "buyers", guardrailMetrics: ["bounces"], plannedSampleSize: 500, cap: {max: 4, per: "DAY"}}) { key } }`);
  const { page, errors, context } = await openStudio('Audiences');
  await page.locator('[data-experiment=keep-test]').getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('form', { name: /Edit experiment|keep-test/ });
  await form.locator('[name=experimentName]').fill('Keep renamed');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved experiment keep-test.').waitFor();
  const x = (await api(`query { experiments { key name primaryMetric guardrailMetrics plannedSampleSize cap { max per } } }`))
    .experiments.find((e) => e.key === 'keep-test');
  assert.deepEqual(x, { key: 'keep-test', name: 'Keep renamed', primaryMetric: 'buyers', guardrailMetrics: ['bounces'], plannedSampleSize: 500, cap: { max: 4, per: 'DAY' } });

  // Edited in the studio: metrics swapped, no planned size, no cap.
  await page.locator('[data-experiment=keep-test]').getByRole('button', { name: 'Edit' }).click();
  const again = page.getByRole('form', { name: /keep-test/ });
  assert.equal(await again.locator('[name=primaryMetric]').inputValue(), 'buyers');
  await again.locator('[name=primaryMetric]').selectOption('bounces');
  await again.locator('[name=guardrailMetrics]').selectOption(['buyers']);
  await again.locator('[name=plannedSampleSize]').fill('');
  await again.locator('[name=capOn]').uncheck();
  await again.getByRole('button', { name: 'Save' }).click();
  // The editor closes once the update answered.
  await again.waitFor({ state: 'detached' });
  const got = (await api(`query { experiments { key primaryMetric guardrailMetrics plannedSampleSize cap { max per } } }`))
    .experiments.find((e) => e.key === 'keep-test');
  assert.deepEqual(got, { key: 'keep-test', primaryMetric: 'bounces', guardrailMetrics: ['buyers'], plannedSampleSize: null, cap: null });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a campaign is created with a cap in the studio', async () => {
  const { page, errors, context } = await openStudio('Campaigns');
  await page.getByRole('button', { name: 'New campaign' }).click();
  const form = page.getByRole('form', { name: 'New campaign' });
  await form.locator('[name=key]').fill('capped-sale');
  await form.locator('[name=name]').fill('Capped sale');
  await form.locator('[name=capOn]').check();
  await form.locator('[name=capMax]').fill('2');
  await form.locator('[name=capPer]').selectOption('CAMPAIGN');
  await form.locator('[name=capZone]').selectOption('Europe/Bucharest');
  await form.getByRole('button', { name: 'Create campaign' }).click();
  await page.getByText('Created capped-sale.').waitFor();
  const c = (await api('query { campaigns { key cap { max per timeZone perChannel } } }')).campaigns.find((x) => x.key === 'capped-sale');
  assert.deepEqual(c.cap, { max: 2, per: 'CAMPAIGN', timeZone: 'Europe/Bucharest', perChannel: false });
  await page.locator('[data-cap]').filter({ hasText: 'cap 2/campaign Europe/Bucharest' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
