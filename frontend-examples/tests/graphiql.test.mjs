// GraphiQL and the landing page, served by the binary itself: with no
// network beyond loopback they load, run queries with the user's headers,
// and never reach for anything off 127.0.0.1.
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

// offlineContext is a browser context with no network but loopback: every
// request is recorded, and one for any other host fails as it would on a
// machine without internet.
async function offlineContext() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    return new URL(url).hostname === '127.0.0.1' ? route.continue() : route.abort('internetdisconnected');
  });
  // Requests the route does not see (workers' own) are still recorded.
  context.on('request', (r) => { if (!requests.includes(r.url())) requests.push(r.url()); });
  return { context, requests };
}

function assertLoopbackOnly(requests) {
  assert.ok(requests.length > 0);
  const off = requests.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    return url.hostname !== '127.0.0.1';
  });
  assert.deepEqual(off, [], 'requests that left loopback');
}

// Monaco keeps each editor's text in a model; GraphiQL names them by role.
const setEditor = (page, role, text) => page.evaluate(([r, t]) =>
  globalThis.__MONACO.editor.getModels().find((m) => m.uri.path.endsWith(r)).setValue(t), [role, text]);
const editorText = (page, role) => page.evaluate((r) =>
  globalThis.__MONACO.editor.getModels().find((m) => m.uri.path.endsWith(r))?.getValue() ?? '', role);

async function openGraphiQL(page) {
  await page.goto(`${mosaic.url}/graphiql`);
  // Generous: 3-6 s here on a loaded 2-core machine (7 MB of editor).
  await page.waitForFunction(() => globalThis.__MONACO?.editor.getModels().some((m) => m.uri.path.endsWith('operation.graphql')),
    null, { timeout: 60_000 });
}

async function run(page) {
  const before = await editorText(page, 'response.json');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction((b) => {
    const m = globalThis.__MONACO.editor.getModels().find((x) => x.uri.path.endsWith('response.json'));
    return m && m.getValue() !== b && m.getValue().trim().startsWith('{');
  }, before, { timeout: 30_000 });
  return JSON.parse(await editorText(page, 'response.json'));
}

test('with no network GraphiQL loads from the binary, runs a query and shows the result', async () => {
  const { context, requests } = await offlineContext();
  const page = await context.newPage();
  const errors = watchConsole(page);
  await openGraphiQL(page);
  // The default query runs as is and says where credentials go.
  const welcome = await editorText(page, 'operation.graphql');
  assert.match(welcome, /entry\(slug: "home"/);
  assert.match(welcome, /Headers tab[^]*"Authorization": "Bearer <token>"[^]*"X-API-Key"/);

  await setEditor(page, 'operation.graphql', '{ entry(slug:"home", type:"page"){ id } }');
  const body = await run(page);
  assert.deepEqual(body.errors, undefined);
  assert.match(body.data.entry.id, /^[0-9a-f-]{36}$/);
  // …and the page shows it.
  await page.waitForFunction((id) => document.querySelector('.result-window')?.innerText.includes(id), body.data.entry.id);
  assert.equal(await page.locator('#mosaic-graphiql-error').count(), 0);
  await page.screenshot({ path: join(artifacts, 'graphiql.png') });

  // GraphiQL's editor workers came from the binary too (the GraphQL one
  // starts when the editor first needs it: wait for it, bounded).
  for (const deadline = Date.now() + 15_000; !requests.some((u) => u.endsWith('/graphiql/assets/workers/graphql.worker.js'));) {
    assert.ok(Date.now() < deadline, requests.join('\n'));
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(requests.some((u) => u === `${mosaic.url}/graphql`));
  assertLoopbackOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('GraphiQL sends the headers the user sets (a token for the management API)', async () => {
  const { context, requests } = await offlineContext();
  const page = await context.newPage();
  const errors = watchConsole(page);
  const sent = [];
  page.on('request', (r) => { if (r.url().endsWith('/graphql') && r.method() === 'POST') sent.push(r.headers()); });
  await openGraphiQL(page);

  // Drafts need an editor: refused without the header…
  await setEditor(page, 'operation.graphql', '{ drafts(type: "page", locale: "en", first: 1) { slug } }');
  const refused = await run(page);
  assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(refused));

  // …and answered with it.
  await setEditor(page, 'headers.json', JSON.stringify({ Authorization: `Bearer ${mosaic.token}` }));
  const body = await run(page);
  assert.deepEqual(body.errors, undefined, JSON.stringify(body));
  assert.equal(body.data.drafts.length, 1);
  assert.equal(sent.at(-1).authorization, `Bearer ${mosaic.token}`);
  // The token is not written to the origin's storage.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(stored.includes('drafts'), 'GraphiQL keeps its tabs');
  assert.ok(!stored.includes(mosaic.token), 'the token stays out of localStorage');
  assertLoopbackOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('when a GraphiQL script fails to load the page says which, instead of "Loading…" forever', async () => {
  const { context } = await offlineContext();
  await context.route('**/graphiql/assets/index.js', (route) => route.abort('connectionrefused'));
  const page = await context.newPage();
  await page.goto(`${mosaic.url}/graphiql`);
  const alert = page.locator('#mosaic-graphiql-error[role="alert"]');
  await alert.waitFor({ timeout: 10_000 });
  const text = await alert.innerText();
  assert.match(text, /GraphiQL could not start/);
  assert.match(text, /could not load http:\/\/127\.0\.0\.1:\d+\/graphiql\/assets\/index\.js/);
  await context.close();
});

test('the landing page links the studio, GraphiQL and the operator endpoints, all on this server', async () => {
  const { context, requests } = await offlineContext();
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(mosaic.url);
  assert.equal(await page.title(), 'Mosaic');
  const links = await page.locator('a').evaluateAll((as) => as.map((a) => ({ text: a.textContent, href: a.href })));
  const hrefs = links.map((l) => new URL(l.href).pathname);
  for (const want of ['/studio/', '/graphiql', '/graphiql/schema.graphql', '/healthz', '/readyz']) assert.ok(hrefs.includes(want), `no link to ${want}: ${hrefs}`);
  for (const l of links) {
    assert.equal(new URL(l.href).origin, mosaic.url, `${l.text} leaves the server`);
    const res = await page.request.get(l.href);
    assert.equal(res.status(), 200, l.href);
  }
  await page.click('text=GraphiQL');
  await page.waitForURL(`${mosaic.url}/graphiql`);
  await page.waitForFunction(() => globalThis.__MONACO !== undefined, null, { timeout: 60_000 });
  assertLoopbackOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});
