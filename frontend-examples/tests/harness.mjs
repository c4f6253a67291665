// Test harness: a real `mosaic dev` (private PostgreSQL, demo content) and a
// real headless Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, chmodSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'node:test';
import { chromium } from 'playwright-core';

export const repo = resolve(new URL('../..', import.meta.url).pathname);
export const artifacts = join(repo, 'test-artifacts');

// startMosaic runs bin/mosaic dev with a throwaway data dir and resolves
// once it printed its URLs and editor token. Without a port it listens on
// port 0 and the harness reads the address it printed: a port found free
// here and bound there could be taken in between (it was, once, by another
// test file's process). stop() ends it and removes the data dir
// (stop({ keepData: true }) keeps it: the API is down, as for a kiosk
// losing its server); restart() starts it again on the same data dir and
// port.
export async function startMosaic({ dir, port } = {}) {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'mosaic-browser-'));
    chmodSync(dir, 0o755); // the postgres user must enter it when tests run as root
  }
  const bin = process.env.MOSAIC_BIN ?? join(repo, 'bin', 'mosaic');
  let child;
  const launch = () => {
    child = spawn(bin, ['dev', '--addr', `127.0.0.1:${port ?? 0}`, '--data-dir', dir, '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`mosaic dev did not start in 60 s:\n${out}\n${err}`)), 60_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/Editor token[^\n]*\n(\S+)/);
        const home = out.match(/Home\s+(http:\/\/127\.0\.0\.1:(\d+))\//);
        if (m && home) {
          clearTimeout(timer);
          port = Number(home[2]);
          res({ token: m[1], url: home[1] });
        }
      });
      child.on('exit', (code) => { clearTimeout(timer); rej(new Error(`mosaic dev exited with ${code}:\n${err}`)); });
    });
  };
  const halt = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGINT');
      await exited;
    }
  };
  const first = await launch();
  const handle = {
    url: first.url,
    token: first.token,
    dir,
    port,
    // mintToken issues a token of another role against the same data dir
    // (dev's printed token is an editor's).
    mintToken: (role) => execFileSync(bin, ['token', '--role', role, '--data-dir', dir], { encoding: 'utf8' }).trim(),
    running: () => child.exitCode === null && child.signalCode === null,
    stop: async ({ keepData = false } = {}) => {
      await halt();
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await halt();
      handle.token = (await launch()).token;
      return handle;
    },
  };
  return handle;
}

// launchBrowser starts Debian's Chromium; never a downloaded build. The
// flags keep it off the (closed) network.
export async function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Every page keeps a journal (navigations, console, failed requests) for
  // the evidence a failing test leaves behind.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.on('page', journal);
    return context;
  };
  browser.newPage = async (...args) => {
    const context = await browser.newContext(...args);
    const page = await context.newPage();
    page.once('close', () => context.close().catch(() => {}));
    return page;
  };
  browsers.add(browser);
  browser.on('disconnected', () => browsers.delete(browser));
  return browser;
}

const browsers = new Set();
const journals = new WeakMap();

function journal(page) {
  const lines = [];
  const at = () => new Date().toISOString().slice(11, 23);
  const add = (s) => { lines.push(`${at()} ${s}`); if (lines.length > 400) lines.shift(); };
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) add(`navigated ${f.url()}`); });
  page.on('console', (m) => add(`console.${m.type()} ${m.text()}`));
  page.on('pageerror', (e) => add(`pageerror ${e}`));
  page.on('requestfailed', (r) => add(`requestfailed ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.url().includes('/graphql')) add(`graphql ${r.status()} ${operationOf(r.request())}`);
    else if (r.status() >= 400) add(`response ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  journals.set(page, lines);
}

// operationOf names a GraphQL request in a journal: its operation name, or
// the start of its document.
function operationOf(req) {
  try {
    const body = req.method() === 'POST' ? JSON.parse(req.postData() ?? '{}')
      : Object.fromEntries(new URL(req.url()).searchParams);
    return body.operationName || String(body.query ?? body.documentId ?? '').replace(/\s+/g, ' ').slice(0, 60);
  } catch {
    return req.url().slice(0, 80);
  }
}

// A failed browser test leaves what each open page showed: its HTML, a
// screenshot and its journal under test-artifacts/failed-*, and a summary
// in the test output (CI keeps only the output). A flaky failure is then
// explained by the run that hit it, not guessed at afterwards.
afterEach(async (t) => {
  if (t.passed) return;
  const slug = t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  let n = 0;
  for (const browser of browsers) {
    for (const context of browser.contexts()) {
      for (const page of context.pages()) {
        const base = join(artifacts, `failed-${slug}-${n++}`);
        try {
          writeFileSync(`${base}.html`, await page.content());
          await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 });
          const lines = journals.get(page) ?? [];
          writeFileSync(`${base}.log`, lines.join('\n'));
          const text = await page.evaluate(() => (document.querySelector('main') ?? document.body).innerText);
          console.log(`evidence of "${t.name}" page ${n - 1}: ${page.url()}\n--- shown ---\n${text.slice(0, 3000)}\n--- journal (last 40) ---\n${lines.slice(-40).join('\n')}\n--- ${base}.* ---`);
        } catch (e) {
          console.log(`evidence of "${t.name}" page ${n - 1}: ${e}`);
        }
      }
    }
  }
});

// watchConsole collects console errors and page errors: a page that logs
// errors fails its test.
export function watchConsole(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

// graphql posts one operation to a startMosaic() API as its editor (or with
// token) and returns the body; GraphQL errors throw.
export async function graphql(mosaic, query, variables = {}, token = mosaic.token) {
  const res = await fetch(`${mosaic.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body;
}

// scheduleWinterSale sets the demo campaign's window to start inMs from now
// and last forMs; it returns both instants (ms since the epoch).
export async function scheduleWinterSale(mosaic, inMs, forMs) {
  const { data } = await graphql(mosaic, 'query { campaign(key: "winter-sale") { id } }');
  const startsAt = Date.now() + inMs;
  const endsAt = startsAt + forMs;
  await graphql(mosaic, 'mutation($id: ID!, $s: DateTime!, $e: DateTime!) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { id } }',
    { id: data.campaign.id, s: new Date(startsAt).toISOString(), e: new Date(endsAt).toISOString() });
  return { startsAt, endsAt };
}

// recordHeartbeats records a page's kiosk heartbeats (POST
// /screens/*/heartbeat) on their way to the API and returns them.
export async function recordHeartbeats(page) {
  const seen = [];
  await page.route('**/screens/*/heartbeat', (route) => {
    seen.push(route.request().postDataJSON());
    return route.continue();
  });
  return seen;
}

// checkA11y runs axe-core in the page (through the DevTools protocol, so
// the page's CSP, which allows only its own scripts, stays on) and fails on
// serious or critical violations, naming each rule and its first nodes.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export async function checkA11y(page, what) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, [], `axe on ${what}`);
}
