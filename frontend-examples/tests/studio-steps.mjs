// Steps the studio's browser tests share: modelling a banner block type
// and allowing it on page, and dropping a picture on the asset library.
// Each test asserts its own details between the steps (a11y checks,
// screenshots, the dry run's text) through the hooks.

// createBannerType creates the block type banner (Banner) with a required
// text field named text and an asset field image, through the field
// builder. beforeCreate runs with the form filled, before it is sent.
export async function createBannerType(page, { text = 'title', beforeCreate = async () => {} } = {}) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Model' }).click();
  await page.getByRole('link', { name: 'New content type' }).click();
  await page.getByLabel('Key', { exact: true }).fill('banner');
  await page.getByLabel('Name', { exact: true }).fill('Banner');
  await page.getByRole('combobox', { name: /^Kind/ }).first().selectOption('BLOCK');
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.getByRole('group', { name: 'field1' }).getByLabel('Field key').fill(text);
  await page.getByRole('group', { name: text }).getByLabel('Required').check();
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.getByRole('group', { name: 'field2' }).getByRole('combobox', { name: /^Kind/ }).selectOption('ASSET');
  await page.getByRole('group', { name: 'field2' }).getByLabel('Field key').fill('image');
  await beforeCreate();
  await page.getByRole('button', { name: 'Create type' }).click();
  await page.getByRole('heading', { name: /Banner \(banner\)/ }).waitFor();
}

// allowBannerOnPage adds banner to page's allowed block types and applies
// it after the dry run; inspect(plan) sees the dry run's region first.
export async function allowBannerOnPage(page, { inspect = async () => {} } = {}) {
  await page.getByRole('link', { name: /^Page page/ }).click();
  const blocks = page.getByRole('group', { name: 'blocks' });
  await blocks.waitFor();
  const allowed = await blocks.getByLabel('Allowed types').evaluate((s) => [...s.options].filter((o) => o.selected).map((o) => o.value));
  await blocks.getByLabel('Allowed types').selectOption([...allowed, 'banner']);
  await page.getByRole('button', { name: 'Preview changes' }).click();
  const plan = page.getByRole('region', { name: 'Preview changes' });
  await plan.getByText(/~ blocks/).waitFor();
  await inspect(plan);
  await plan.getByRole('button', { name: 'Apply changes' }).click();
  await page.getByText(/Saved as version \d+\./).waitFor();
  return plan;
}

// dropImage drops a PNG on the asset library's drop zone, as a file dragged
// from the desktop, and waits for the upload to finish.
export async function dropImage(page, png, name) {
  const dt = await page.evaluateHandle(([b64, n]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const d = new DataTransfer();
    d.items.add(new File([bytes], n, { type: 'image/png' }));
    return d;
  }, [png.toString('base64'), name]);
  await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer: dt });
  await page.getByText(`Uploaded ${name}.`).waitFor();
}

// startDealsEntry opens a new page entry, deals (title Deals), with a
// banner block whose text field says heading and whose image is deals.png
// (uploaded before); nothing is saved yet. inList runs on the entry list.
export async function startDealsEntry(page, { text = 'title', heading, inList = async () => {} }) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Content' }).click();
  await page.getByRole('link', { name: /^Page/ }).click();
  await inList();
  await page.getByRole('link', { name: 'New entry' }).click();
  await page.getByLabel('Slug').fill('deals');
  await page.getByLabel(/^title/).first().fill('Deals');
  await page.getByLabel('Add block').selectOption('banner');
  await page.getByRole('button', { name: 'Add block' }).click();
  const banner = page.locator('[data-block-type="banner"]');
  await banner.getByLabel(new RegExp(`^${text}`)).fill(heading);
  await banner.getByRole('button', { name: /Choose an asset/ }).click();
  await banner.getByRole('button', { name: 'Choose an asset: deals.png' }).click();
  await banner.locator('[data-asset]').filter({ hasText: 'deals.png' }).waitFor();
  return banner;
}

// pressUntilAnnounced presses key until announcement is in the page, at
// most 10 times, each given 3 s to show (a key a widget was not yet
// listening for is lost, not queued).
export async function pressUntilAnnounced(page, key, announcement) {
  for (let i = 0; ; i++) {
    await page.keyboard.press(key);
    try {
      await announcement.waitFor({ state: 'attached', timeout: 3_000 });
      return;
    } catch (e) {
      if (i === 9) throw e;
    }
  }
}
