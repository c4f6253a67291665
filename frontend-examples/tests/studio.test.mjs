import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startMosaic, launchBrowser, watchConsole, artifacts } from './harness.mjs';

let mosaic, browser;

before(async () => {
  mosaic = await startMosaic();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await mosaic?.stop();
});

const bar = (page, channel) => page.locator(`.lane[data-channel="${channel}"] .cbar[data-campaign="winter-sale"]`);

async function pickWinterSale(page) {
  // The picker fills once the first refresh after sign-in has answered.
  await page.waitForFunction(() => [...document.getElementById('campaign').options].some((o) => o.text.includes('(winter-sale)')));
  const value = await page.$eval('#campaign', (s) => [...s.options].find((o) => o.text.includes('(winter-sale)'))?.value);
  assert.ok(value, 'winter-sale is in the campaign picker');
  await page.selectOption('#campaign', value);
}

async function signIn(page, token) {
  await page.fill('#token', token);
  await page.click('#token-form button[type=submit]');
  await page.waitForSelector('#app:not([hidden])');
}

test('the studio schedules, shows, time-travels and stops the winter sale', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchConsole(page);
  const res = await page.goto(`${mosaic.url}/studio/`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'], /script-src 'self'/);

  await page.keyboard.press('Tab'); // real, focusable controls
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'token');
  await signIn(page, mosaic.token);
  assert.match(await page.textContent('#who'), /editor/);

  // The demo campaign is a draft: schedule it a few seconds ahead.
  await pickWinterSale(page);
  await page.click('#soon');
  await page.waitForFunction(() => /Schedule: done/.test(document.getElementById('status').textContent));
  for (const ch of ['web', 'app', 'kiosk']) await bar(page, ch).waitFor();
  assert.equal(await bar(page, 'web').getAttribute('data-status'), 'SCHEDULED');
  await page.screenshot({ path: join(artifacts, 'studio-scheduled.png'), fullPage: true });

  // It goes live on its own; the timeline follows.
  await page.locator('.lane[data-channel="web"] .cbar.live[data-campaign="winter-sale"]').waitFor({ timeout: 20_000 });

  // The launch diff: the heroes switch to the campaign's variant.
  await page.click('#diff');
  await page.waitForFunction(() => /winter-sale/.test(document.querySelector('#diff-out [data-channel="kiosk"]')?.textContent ?? ''));

  // Time travel inside the window: web and kiosk both show the sale.
  await page.click('#tt-campaign');
  await page.click('#tt-form button[type=submit]');
  const web = page.locator('#tt-out [data-channel="web"] [data-block="hero"]');
  const kiosk = page.locator('#tt-out [data-channel="kiosk"] [data-block="lobby-hero"]');
  await web.waitFor();
  assert.equal(await web.getAttribute('data-variant'), 'winter-sale');
  assert.equal(await web.getAttribute('data-campaign'), 'winter-sale');
  assert.equal(await kiosk.getAttribute('data-variant'), 'winter-sale');
  await page.screenshot({ path: join(artifacts, 'studio-live.png'), fullPage: true });

  // An editor may not pull the kill switch; a publisher may.
  await page.click('#stop');
  await page.waitForFunction(() => /Stop failed: FORBIDDEN/.test(document.getElementById('status').textContent));
  await page.click('#logout');
  await signIn(page, mosaic.mintToken('publisher'));
  assert.match(await page.textContent('#who'), /publisher/);
  await pickWinterSale(page);
  await page.click('#stop');
  await page.waitForFunction(() => /Stop: done/.test(document.getElementById('status').textContent));
  await page.waitForFunction(() => document.querySelector('.lane[data-channel="web"] .cbar[data-campaign="winter-sale"]')?.dataset.status === 'STOPPED');
  assert.equal(await page.locator('.cbar.live[data-campaign="winter-sale"]').count(), 0);
  await page.screenshot({ path: join(artifacts, 'studio-stopped.png'), fullPage: true });

  // Readable at 800 px: the columns stack, nothing overflows sideways.
  await page.setViewportSize({ width: 800, height: 1000 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 800));
  await page.screenshot({ path: join(artifacts, 'studio-800.png'), fullPage: true });

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
  await page.goto(`${mosaic.url}/studio/`);
  await signIn(page, mosaic.mintToken('viewer'));
  const row = (id) => page.locator(`#fleet-rows tr[data-screen-id="${id}"]`);
  await row('lobby-current').waitFor();
  assert.equal(await row('lobby-current').getAttribute('data-state'), 'ONLINE');
  assert.match(await row('lobby-current').textContent(), /\+12 ms/);
  assert.equal(await row('lobby-behind').getAttribute('data-state'), 'STALE');
  assert.match(await row('lobby-behind').textContent(), /-3000 ms.*behind|behind.*-3000 ms/s);
  assert.match(await page.textContent('#fleet-summary'), /1 online · 1 stale · 0 offline/);
  await page.locator('#fleet-h').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'studio-fleet.png'), fullPage: true });

  // A viewer may not forget a unit; a publisher may (it is gone from the list).
  await row('lobby-behind').locator('button[data-forget]').click();
  await page.waitForFunction(() => /Forget failed: FORBIDDEN/.test(document.getElementById('status').textContent));
  await page.click('#logout');
  await signIn(page, mosaic.mintToken('publisher'));
  await row('lobby-behind').locator('button[data-forget]').click();
  await page.waitForFunction(() => /Forgot screen lobby-behind/.test(document.getElementById('status').textContent));
  await row('lobby-behind').waitFor({ state: 'detached' });
  assert.match(await page.textContent('#fleet-summary'), /1 online · 0 stale · 0 offline/);
  assert.deepEqual(errors, []);
  await page.close();
});
