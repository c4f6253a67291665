// The studio (studio/web, a React single-page app embedded in the binary)
// against a real mosaic dev in headless Chromium: sign-in, the role's view,
// campaigns' launch / stop behind a confirmation, and the screen fleet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startMosaic, launchBrowser, watchConsole, artifacts, graphql, scheduleWinterSale } from './harness.mjs';

let mosaic, browser;
const password = 'correct horse battery';

before(async () => {
  mosaic = await startMosaic();
  browser = await launchBrowser();
  await graphql(mosaic, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { email: 'pat@example.com', password, role: 'PUBLISHER' } }, mosaic.mintToken('admin'));
});

after(async () => {
  await browser?.close();
  await mosaic?.stop();
});

// signInWithToken is the developers' way in: paste a token.
async function signInWithToken(page, token) {
  await page.getByLabel('Developer token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

const campaignRow = (page, key) => page.locator(`tr[data-campaign="${key}"]`);

test('sign in with a password, see who you are, and stop a campaign only after confirming', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchConsole(page);
  const res = await page.goto(`${mosaic.url}/studio/`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'], /script-src 'self'/);

  // A wrong password is said in words, and nothing else happens.
  await page.getByLabel('Email').fill('pat@example.com');
  await page.getByLabel('Password', { exact: true }).fill('wrong password!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();

  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  assert.match(await page.textContent('#who'), /pat@example.com/);
  assert.match(await page.locator('.role').textContent(), /publisher/);

  // The token lives in sessionStorage: a reload keeps the session.
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();

  const { startsAt } = await scheduleWinterSale(mosaic, 60_000, 3_600_000);
  await page.getByRole('link', { name: 'Campaigns' }).click();
  const row = campaignRow(page, 'winter-sale');
  await row.waitFor();
  assert.equal(await row.locator('[data-status]').getAttribute('data-status'), 'SCHEDULED');
  assert.ok(startsAt > Date.now());

  // Cancel changes nothing; confirming stops it.
  await row.getByRole('button', { name: 'Stop' }).click();
  const dialog = page.getByRole('alertdialog');
  assert.match(await dialog.textContent(), /Stop Winter sale everywhere\?/i);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await row.locator('[data-status]').getAttribute('data-status'), 'SCHEDULED');
  await row.getByRole('button', { name: 'Stop' }).click();
  await page.screenshot({ path: join(artifacts, 'studio-stop-confirm.png') });
  await dialog.getByRole('button', { name: 'Stop' }).click();
  await page.getByText('Stop: done.').waitFor();
  await page.locator('tr[data-campaign="winter-sale"] [data-status="STOPPED"]').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('an editor signs in with a token and may not use the kill switch', async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  const errors = watchConsole(page);
  await page.goto(`${mosaic.url}/studio/campaigns`);
  await signInWithToken(page, mosaic.token);
  assert.match(await page.locator('.role').textContent(), /editor/);
  await page.getByRole('link', { name: 'Campaigns' }).click();
  await campaignRow(page, 'winter-sale').waitFor();
  const draft = await graphql(mosaic, 'mutation { createCampaign(input: {key: "spring", name: "Spring", timeZone: "Europe/Bucharest"}) { id } }');
  assert.ok(draft.data.createCampaign.id);
  await page.reload();
  const spring = campaignRow(page, 'spring');
  await spring.waitFor();
  assert.equal(await spring.getByRole('button', { name: 'Launch now' }).isEnabled(), true);
  // Tablets: nothing overflows sideways.
  await page.setViewportSize({ width: 800, height: 1000 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 800));
  await signOut(page);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('mosaic.studio.token')), null);
  assert.deepEqual(errors, []);
  await page.close();
});

// heartbeat reports a unit of the lobby screen showing frame.
async function heartbeat(screenId, frame, clockOffsetMs) {
  const res = await fetch(`${mosaic.url}/screens/lobby/heartbeat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ screenId, frame, clockOffsetMs, bundleVersion: 'v', channel: 'kiosk', device: 'kiosk', locale: 'en', client: 'studio-test/1' }),
  });
  assert.equal(res.status, 200, await res.text());
}

test('the studio lists the screen fleet: current units online, the others stale', async () => {
  const res = await fetch(`${mosaic.url}/screens/lobby/bundle?channel=kiosk&device=kiosk&locale=en`);
  assert.equal(res.status, 200);
  const bundle = await res.json();
  await heartbeat('lobby-current', bundle.frames[0].key, 12.4);
  await heartbeat('lobby-behind', '0'.repeat(32), -3000);

  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchConsole(page);
  await page.goto(`${mosaic.url}/studio/screens`);
  await signInWithToken(page, mosaic.mintToken('viewer'));
  const row = (id) => page.locator(`tr[data-screen-id="${id}"]`);
  await row('lobby-current').waitFor();
  assert.equal(await row('lobby-current').getAttribute('data-state'), 'ONLINE');
  assert.match(await row('lobby-current').textContent(), /\+12 ms/);
  assert.equal(await row('lobby-behind').getAttribute('data-state'), 'STALE');
  assert.match(await row('lobby-behind').textContent(), /-3000 ms/);
  assert.match(await page.textContent('#fleet-summary'), /1 online · 1 stale · 0 offline/);
  await page.screenshot({ path: join(artifacts, 'studio-fleet.png'), fullPage: true });

  // A viewer may not forget a unit; a publisher may, after confirming.
  assert.equal(await row('lobby-behind').getByRole('button', { name: 'Forget' }).isDisabled(), true);
  await signOut(page);
  await signInWithToken(page, mosaic.mintToken('publisher'));
  await row('lobby-behind').getByRole('button', { name: 'Forget' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Forget' }).click();
  await page.getByText('Forgot screen lobby-behind.').waitFor();
  await row('lobby-behind').waitFor({ state: 'detached' });
  assert.match(await page.textContent('#fleet-summary'), /1 online · 0 stale · 0 offline/);
  assert.deepEqual(errors, []);
  await page.close();
});
