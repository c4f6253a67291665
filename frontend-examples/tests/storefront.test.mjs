import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startMosaic, launchBrowser, watchConsole, artifacts, checkA11y } from './harness.mjs';
import { startStorefront } from '../web/serve.mjs';

let mosaic, shop, browser;

before(async () => {
  mosaic = await startMosaic();
  shop = await startStorefront({ api: mosaic.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.close();
  await mosaic?.stop();
});

const hero = (page) => page.locator('[data-block="hero"]');

async function heroVariant(page, expected) {
  await page.waitForFunction((v) => document.querySelector('[data-block="hero"]')?.dataset.variant === v, expected, { timeout: 10_000 });
  return hero(page).locator('.reason').textContent();
}

test('the storefront blocks follow the segment, device, channel and consent controls', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchConsole(page);
  await page.goto(shop.url);
  await page.waitForSelector('[data-block]');
  const types = await page.locator('[data-block]').evaluateAll((els) => els.map((e) => e.dataset.type));
  assert.deepEqual(types, ['hero', 'richText', 'media', 'productList', 'cta', 'promo']);
  assert.match(await heroVariant(page, 'default'), /default/);
  await page.screenshot({ path: join(artifacts, 'storefront-default.png'), fullPage: true });
  await checkA11y(page, 'the storefront');

  await page.selectOption('#segment', 'vip');
  assert.match(await heroVariant(page, 'vip'), /vip/);
  await page.screenshot({ path: join(artifacts, 'storefront-vip.png'), fullPage: true });

  // Without consent explicit segments are dropped: back to the default.
  await page.uncheck('#consent');
  await heroVariant(page, 'default');
  await page.check('#consent');
  await page.selectOption('#segment', '');

  await page.selectOption('#device', 'mobile');
  assert.match(await heroVariant(page, 'mobile'), /mobile/);
  await page.selectOption('#device', '');

  await page.selectOption('#channel', 'kiosk');
  assert.match(await heroVariant(page, 'kiosk'), /kiosk/);

  // Products come linked in the same query, each with its picture.
  assert.equal(await page.locator('.products li').count(), 4);
  // The demo's pictures (assets the seed uploaded) load, with their alt text.
  await page.waitForFunction(() => [...document.querySelectorAll('img')].length >= 6
    && [...document.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 10_000 });
  assert.equal(await page.getByRole('img', { name: 'Merino wool scarf' }).count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the storefront speaks Romanian with fallback and keyboard focus works', async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
  const errors = watchConsole(page);
  await page.goto(shop.url);
  await page.waitForSelector('[data-block]');
  await page.selectOption('#locale', 'ro-RO');
  await page.waitForFunction(() => document.querySelector('.hero h1')?.textContent.startsWith('Vine iarna'));
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert.equal(focused, 'segment');
  await page.screenshot({ path: join(artifacts, 'storefront-ro.png'), fullPage: true });
  await checkA11y(page, 'the storefront in Romanian');
  assert.deepEqual(errors, []);
  await page.close();
});

test('errors show at the top of the page, in view, and go when the API answers again', async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.goto(shop.url);
  await page.waitForSelector('[data-block]');
  const alert = page.locator('#error[role="alert"]');
  assert.equal(await alert.isVisible(), false, 'no error while the API answers');

  // Scrolled down to the products when the API goes away.
  await page.locator('.products').scrollIntoViewIfNeeded();
  await mosaic.stop({ keepData: true });
  try {
    await page.selectOption('#segment', 'vip');
    await alert.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await alert.innerText(), /^Could not load the page: the API is unreachable: ECONNREFUSED \(BAD_GATEWAY\)$/);
    // At the top of the page: before the controls and the content, and in
    // view although the page is scrolled.
    const order = await page.evaluate(() => {
      const e = document.getElementById('error');
      const follows = (other) => Boolean(e.compareDocumentPosition(document.getElementById(other)) & Node.DOCUMENT_POSITION_FOLLOWING);
      return { controls: follows('controls'), page: follows('page'), scrollY: window.scrollY };
    });
    assert.deepEqual(order, { controls: true, page: true, scrollY: order.scrollY });
    assert.ok(order.scrollY > 0, 'the page was scrolled');
    const box = await alert.boundingBox();
    assert.ok(box.y >= 0 && box.y < 10, `the alert is at the top of the viewport (${JSON.stringify(box)})`);
    // What was shown stays.
    assert.equal(await page.locator('[data-block]').count(), 6);
    await page.screenshot({ path: join(artifacts, 'storefront-error.png') });
  } finally {
    await mosaic.restart();
  }

  // The API is back: the next change loads and the error goes.
  await page.selectOption('#segment', '');
  await alert.waitFor({ state: 'hidden', timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector('[data-block="hero"]')?.dataset.variant === 'default');
  await page.close();
});
