// How close to a campaign transition does the kiosk switch (issue 9, item 6)?
//
// Starts `mosaic dev` (demo content), the kiosk (frontend-examples/kiosk)
// and headless Chromium, gives the lobby hero a variant per benchmark
// campaign, schedules the campaigns so that there is a transition every
// --gap ms (a campaign starts, then ends), and reads the kiosk's own switch
// records (window.__kiosk.switches). Each switch's lateness is measured
// twice: on the kiosk's corrected clock (what it believes), and on this
// host's clock, which is the server's (what a viewer would see; it
// includes the error of the measured clock offset). --skew makes the
// kiosk's device clock wrong by that many ms, to show the correction.
//
//   make build
//   node bench/kiosk-switch.mjs [--transitions 10] [--gap 2000] [--skew 0]
//
// It needs frontend-examples' node_modules (cd frontend-examples && npm ci).
import { startMosaic, launchBrowser, watchConsole, graphql } from '../frontend-examples/tests/harness.mjs';
import { startKiosk } from '../frontend-examples/kiosk/serve.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('transitions', 10);
const GAP = arg('gap', 2000);
const SKEW = arg('skew', 0);
const LEAD = 4000; // from scheduling to the first transition

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const fmt = (x) => x.toFixed(1).padStart(7);
const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${fmt(s[0])}  p50 ${fmt(percentile(s, 50))}  p95 ${fmt(percentile(s, 95))}  max ${fmt(s.at(-1))}  ms`;
};

const mosaic = await startMosaic();
let kiosk, browser;
try {
  // One campaign per start/end pair, each with its own lobby hero copy.
  const K = Math.ceil(N / 2);
  const drafts = await graphql(mosaic, 'query { drafts(type: "screen", locale: "en", first: 100) { id slug version } }');
  const lobby = drafts.data.drafts.find((d) => d.slug === 'lobby');
  let version = lobby.version;
  const ids = [];
  for (let k = 1; k <= K; k++) {
    const key = `bench-${k}`;
    const c = await graphql(mosaic, 'mutation($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }',
      { in: { key, name: `Benchmark ${k}`, timeZone: 'UTC' } });
    ids.push(c.data.createCampaign.id);
    const up = await graphql(mosaic, `mutation($id: ID!, $in: VariantInput!, $v: Int!) {
      upsertVariant(entryId: $id, locale: "en", blockId: "lobby-hero", input: $in, expectedVersion: $v) { version } }`,
    { id: lobby.id, v: version, in: { key, campaign: key, fields: { title: `Benchmark window ${k}` } } });
    version = up.data.upsertVariant.version;
  }
  await graphql(mosaic, 'mutation($id: ID!, $v: Int) { publishEntry(id: $id, locale: "en", expectedVersion: $v) { version } }',
    { id: lobby.id, v: version }, mosaic.mintToken('publisher'));

  kiosk = await startKiosk({ api: mosaic.url });
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = watchConsole(page);
  await page.goto(`${kiosk.url}/?id=bench-kiosk&skew=${SKEW}`);
  await page.waitForFunction(() => window.__kiosk?.status === 'online' && window.__kiosk.offsetSource !== 'none', null, { timeout: 20_000 });

  // Transitions every GAP ms: campaign k lives [t0 + 2k·GAP, t0 + (2k+1)·GAP).
  const t0 = Date.now() + LEAD;
  const instants = [];
  for (let k = 0; k < K; k++) {
    const s = t0 + 2 * k * GAP;
    const e = s + GAP;
    await graphql(mosaic, 'mutation($id: ID!, $s: DateTime!, $e: DateTime!) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { id } }',
      { id: ids[k], s: new Date(s).toISOString(), e: new Date(e).toISOString() });
    instants.push(s, e);
  }
  instants.length = N;
  if (Date.now() > t0 - 500) throw new Error('scheduling took too long: raise LEAD');
  const last = instants.at(-1);
  await page.waitForFunction((t) => window.__kiosk.switches.some((s) => Date.parse(s.validFrom) === t), last,
    { timeout: last - Date.now() + 10_000 });
  await new Promise((r) => setTimeout(r, 300)); // the last paint record

  const state = await page.evaluate(() => JSON.parse(JSON.stringify({ ...window.__kiosk, cfg: undefined })));
  const rows = instants.map((t) => state.switches.find((s) => Date.parse(s.validFrom) === t));
  const missing = rows.filter((r) => !r).length;
  const got = rows.filter(Boolean);
  const corrected = got.map((r) => r.lateMs);
  const host = got.map((r) => r.deviceAt - SKEW - Date.parse(r.validFrom));
  const paint = got.map((r) => r.paintLateMs).filter((x) => x !== null);
  console.log(`kiosk switch lateness: ${got.length} of ${N} transitions, ${GAP} ms apart, device clock skewed ${SKEW} ms`);
  console.log(`  clock offset measured: ${state.offsetMs.toFixed(1)} ms (${state.offsetSource}, best round trip ${state.rttMs} ms)`);
  console.log(`  on the kiosk's corrected clock:   ${summary(corrected)}`);
  console.log(`  on the host (= server) clock:     ${summary(host)}`);
  console.log(`  to the next animation frame:      ${summary(paint)}`);
  console.log(`  triggers: ${Object.entries(got.reduce((m, r) => ({ ...m, [r.trigger]: (m[r.trigger] ?? 0) + 1 }), {})).map(([k, v]) => `${k} ${v}`).join(', ')}` +
    `; switched by a late bundle rather than on the kiosk's own clock: ${got.filter((r) => !r.boundary).length}; missed: ${missing}`);
  if (errors.length) console.log(`  console errors: ${errors.join(' | ')}`);
  if (missing || errors.length) process.exitCode = 1;
} finally {
  await browser?.close();
  await kiosk?.close();
  await mosaic.stop();
}
