// Mosaic kiosk: a full-screen display of one screen entry, played from a
// signed bundle. The network side (fetch, verify, store, /events,
// heartbeats, assets) runs in a worker (sync.js); this page keeps the
// clock and switches frames at their boundaries on its own timer, so a
// switch needs no server round trip and happens offline too.
//
// Page parameters: api (default: this origin), screen (lobby), channel
// (kiosk), device (kiosk), locale (en), key (sent as X-API-Key), id (the
// unit's screen id; default: a random id kept in localStorage), heartbeat
// (seconds between heartbeats; default: the server's interval), skew (ms
// added to this device's clock, to simulate a wrong clock in tests),
// status=full (the status in words on screen, not just a dot).
//
// window.__kiosk is the kiosk's state for tests and monitoring (see
// `state` below); window.__kiosk.switches records every change of what
// is shown.
import { loadSpends, saveSpends, spend } from './budget.js';

const params = new URLSearchParams(location.search);
const ASSET_CACHE = 'mosaic-kiosk-assets-v1';

function screenId() {
  const given = params.get('id');
  if (given) return given.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 64);
  try {
    let id = localStorage.getItem('mosaic-kiosk-id');
    if (!id) {
      id = `kiosk-${[...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
      localStorage.setItem('mosaic-kiosk-id', id);
    }
    return id;
  } catch {
    return 'kiosk-unnamed'; // storage disabled
  }
}

const cfg = {
  api: (params.get('api') || location.origin).replace(/\/+$/, ''),
  screen: params.get('screen') || 'lobby',
  channel: params.get('channel') || 'kiosk',
  device: params.get('device') || 'kiosk',
  locale: params.get('locale') || 'en',
  key: params.get('key') || '',
  screenId: screenId(),
  heartbeat: Number(params.get('heartbeat')) || 0,
  skew: Number(params.get('skew')) || 0,
};

// Clock. offsetMs = this device's clock − the server's (the sign the
// heartbeat reports as clockOffsetMs): a device running 2 s fast has
// offsetMs = +2000, and the server's "now" is deviceNow − offsetMs.
const deviceNow = () => Date.now() + cfg.skew;
const serverNow = () => deviceNow() - state.offsetMs;

const state = {
  status: 'starting', // starting | online | offline
  online: null,
  offlineSince: null,
  expired: false,
  version: '',
  generatedAt: '',
  expiresAt: '',
  source: '', // where the bundle on display came from: cache | network:<reason>
  frame: '', // key of the frame on display
  frameIndex: -1,
  frames: 0,
  offsetMs: 0,
  offsetSource: 'none', // none | date (coarse, from Date headers) | heartbeat
  rttMs: null,
  // Every change of what is shown: lateMs = shownAt − validFrom on the
  // corrected clock; boundary: the frame was known before it began (its
  // lateness is the kiosk's own timing, not a late bundle).
  switches: [], // {frame, index, validFrom, shownAt, lateMs, deviceAt, paintLateMs, trigger, boundary, version}
  refusals: [], // {reason, version, at}
  refused: '', // the last refusal, while no newer bundle was accepted
  lastError: '',
  events: { connected: false, lastEventId: '' },
  assets: [],
  screenId: cfg.screenId,
  cfg,
  now: () => serverNow(),
  refresh: () => worker.postMessage({ type: 'refresh', reason: 'page' }),
};
window.__kiosk = state;

// ---- rendering -------------------------------------------------------------
// Content is data: only textContent and DOM APIs, never innerHTML.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  // alt="" is meaningful (a decorative image); other empty attributes are left out.
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && (v !== '' || k === 'alt')) node.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== null && c !== '') node.append(c);
  return node;
}
const round1 = (x) => Math.round(x * 10) / 10;
const str = (v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

const stage = document.getElementById('stage');
const titleEl = document.getElementById('title');
const clockEl = document.getElementById('clock');
const blocksEl = document.getElementById('blocks');
const statusEl = document.getElementById('status');

// Images come only from the verified asset cache (object URLs), never from
// the network: an asset that is not in the manifest, or failed its
// SHA-256 check, shows as a plain panel.
let manifest = [];
const objectURLs = new Map(); // absolute asset URL → blob: URL

function assetFor(value) {
  const v = str(value);
  if (!v) return null;
  let abs = '';
  try { abs = new URL(v, cfg.api + '/').href; } catch { /* not a URL */ }
  const a = manifest.find((m) => m.id === v || m.abs === abs);
  return a && objectURLs.has(a.abs) ? { src: objectURLs.get(a.abs), asset: a } : null;
}

// visual shows the first candidate (asset id or URL) that is a verified,
// cached manifest asset, else a plain panel. Its alt text is the block's,
// else the asset's in the bundle's locale, else empty (decorative).
function visual(candidates, alt, cls) {
  const img = candidates.map(assetFor).find(Boolean);
  if (img) return el('img', { class: cls, src: img.src, alt: str(alt) || str(img.asset.alt), width: img.asset.width, height: img.asset.height });
  return el('div', { class: `${cls} placeholder`, role: alt ? 'img' : null, 'aria-label': str(alt) || null }, str(alt));
}

function richText(node) {
  const tags = { paragraph: 'p', heading: 'h3', bulletList: 'ul', orderedList: 'ol', listItem: 'li', blockquote: 'blockquote', codeBlock: 'pre' };
  if (!node || typeof node !== 'object') return document.createTextNode(str(node));
  if (node.type === 'text') {
    let out = document.createTextNode(str(node.text));
    for (const m of node.marks ?? []) {
      const tag = { bold: 'strong', italic: 'em', code: 'code', underline: 'u', strike: 's', link: 'span' }[m.type];
      if (tag) out = el(tag, m.type === 'link' ? { class: 'link' } : {}, out);
    }
    return out;
  }
  if (node.type === 'hardBreak') return el('br');
  const wrap = el(tags[node.type] ?? 'div');
  for (const c of Array.isArray(node.content) ? node.content : []) wrap.append(richText(c));
  return wrap;
}

// A kiosk is not a browser: calls to action are shown, not followed.
const renderers = {
  hero: (f) => el('div', { class: 'hero-inner' },
    visual([f.image, f.asset, f.imageUrl], '', 'visual'),
    el('div', { class: 'copy' }, el('h1', {}, str(f.title)), el('p', { class: 'subtitle' }, str(f.subtitle)),
      f.ctaLabel ? el('span', { class: 'button' }, str(f.ctaLabel)) : null)),
  media: (f) => el('figure', {}, visual([f.asset, f.image, f.url], f.alt, 'visual'),
    f.caption ? el('figcaption', {}, str(f.caption)) : null),
  promo: (f) => el('div', { class: 'promo-inner' }, el('h2', {}, str(f.headline)), el('p', {}, str(f.body)),
    f.code ? el('p', { class: 'code' }, el('span', {}, 'Code '), el('strong', {}, str(f.code))) : null),
  cta: (f) => el('span', { class: `button ${str(f.style)}` }, str(f.label)),
  richText: (f) => el('div', { class: 'prose' }, richText(f.body ?? { type: 'doc' })),
};

// chosen is what the blocks of the frame on screen resolved to against
// their budgets: a re-render of the same frame (images arriving) shows it
// again without spending.
let chosen = { ident: null, blocks: [] };

function render(frame) {
  const c = frame.content;
  if (!c) { // the screen is not published during this frame
    titleEl.textContent = '';
    blocksEl.replaceChildren();
    stage.dataset.empty = 'true';
    return;
  }
  delete stage.dataset.empty;
  const fields = c.fields ?? {};
  stage.dataset.orientation = fields.orientation === 'portrait' ? 'portrait' : 'landscape';
  titleEl.textContent = str(fields.title);
  document.title = str(fields.title) || 'Mosaic kiosk';
  // Capped variants spend this screen's budgets (budget.js) each time
  // the frame starts showing: once one is spent for its period, the
  // block's fallback shows.
  const ident = JSON.stringify(c);
  if (chosen.ident !== ident) {
    const spends = loadSpends(cfg.screen);
    const now = serverNow();
    chosen = { ident, blocks: (Array.isArray(c.blocks) ? c.blocks : []).map((b) => spend(b, spends, now)) };
    saveSpends(cfg.screen, spends);
  }
  const blocks = chosen.blocks.filter((b) => renderers[b?.type]);
  const sections = blocks.map((b) => el('section', {
    class: `block ${b.type}`, 'data-block': str(b.id), 'data-type': b.type, 'data-variant': str(b.decision?.variant),
    'data-campaign': str(b.decision?.campaign),
  }, renderers[b.type](b.fields ?? {})));
  // The first block leads; the others share a side column (landscape) or
  // follow it (portrait).
  blocksEl.replaceChildren(...sections.slice(0, 1), ...(sections.length > 1 ? [el('div', { class: 'side' }, ...sections.slice(1))] : []));
}

// ---- frames and the switch timer -------------------------------------------
let bundle = null; // {doc, frames: [{from, until, key, ident, content, validFrom}], expiresAt, receivedAt}
let previous = null; // the bundle before it, to date a switch a newer bundle made
let shownIdent = null;
let timer = 0;

function loadBundle(doc, source) {
  const frames = doc.frames.map((f, i) => ({
    from: Date.parse(f.validFrom), until: Date.parse(f.validUntil), validFrom: f.validFrom, content: f.content,
    // The server's key names a frame and everything after it; the
    // content decides whether the screen changes.
    key: str(f.key) || `${i}`, ident: JSON.stringify(f.content),
  })).sort((a, b) => a.from - b.from);
  previous = bundle;
  bundle = { doc, frames, expiresAt: Date.parse(doc.expiresAt), receivedAt: serverNow() };
  manifest = (doc.assets ?? []).filter((a) => typeof a?.url === 'string').map((a) => ({ ...a, abs: new URL(a.url, cfg.api + '/').href }));
  Object.assign(state, { version: doc.version, generatedAt: doc.generatedAt, expiresAt: doc.expiresAt, source, frames: frames.length, refused: '' });
  tick('bundle');
}

function frameIndexAt(t) {
  const fs = bundle.frames;
  for (let i = fs.length - 1; i > 0; i--) if (t >= fs[i].from) return i;
  return 0; // before the first frame (a clock behind the bundle) or in it
}

function tick(trigger, force = false) {
  if (!bundle) return;
  const now = serverNow();
  const i = frameIndexAt(now);
  const f = bundle.frames[i];
  // Past expiresAt with nothing newer: the last frame stays on screen.
  const expired = now >= bundle.expiresAt;
  if (expired && !state.expired) console.warn(`kiosk: bundle ${state.version} expired at ${bundle.doc.expiresAt}; showing its last frame`);
  state.expired = expired;
  if (force || f.ident !== shownIdent) {
    render(f);
    const shownAt = serverNow();
    const changed = f.ident !== shownIdent;
    shownIdent = f.ident;
    if (changed) {
      // A refetched bundle starts its first frame at its generatedAt; if
      // the bundle before it already had this screen starting earlier, the
      // switch is late relative to that start (the timer lost the race).
      let from = f.from;
      let validFrom = f.validFrom;
      let known = f.from > bundle.receivedAt;
      const pf = previous?.frames.find((x) => x.ident === f.ident && x.from <= now && now < x.until);
      if (pf && pf.from < from) ({ from, validFrom } = pf), known = pf.from > previous.receivedAt;
      const rec = {
        frame: f.key, index: i, validFrom, shownAt: new Date(shownAt).toISOString(), lateMs: round1(shownAt - from),
        deviceAt: deviceNow(), // the uncorrected device clock, to check the correction
        paintLateMs: null, trigger,
        // boundary: the frame was known before it began, so its switch is
        // the kiosk's own timing (not a late bundle).
        boundary: known, version: state.version,
      };
      state.switches.push(rec);
      if (state.switches.length > 1000) state.switches.shift();
      requestAnimationFrame(() => { rec.paintLateMs = round1(serverNow() - from); });
    }
  }
  if (state.frame !== f.key || state.frameIndex !== i) {
    state.frame = f.key;
    state.frameIndex = i;
    worker.postMessage({ type: 'shown', version: state.version, frame: f.key });
  }
  paintStatus();
  schedule(i);
}

// schedule arms one timer for the boundary after frame i (the one on
// display) on the corrected clock. It never reads "the next boundary after
// now": a timer may fire a hair early (now < boundary: frame i stays), and
// a second clock read a millisecond later would then skip that boundary.
// A timer that fires early re-arms for the remainder; the 1 s re-check
// below catches a throttled or lost one.
function schedule(i) {
  clearTimeout(timer);
  if (!bundle) return;
  const now = serverNow();
  let next = i + 1 < bundle.frames.length ? bundle.frames[i + 1].from : Infinity;
  if (!state.expired) next = Math.min(next, bundle.expiresAt);
  if (next === Infinity) return;
  timer = setTimeout(() => {
    // Timers may fire up to a millisecond early, and a short re-armed one
    // is clamped to 4 ms (nested timers): wait out a remainder of a few ms
    // here instead, bounded.
    const until = performance.now() + 5;
    while (serverNow() < next && performance.now() < until) { /* at most 5 ms, once per boundary */ }
    tick('timer');
  }, Math.min(Math.max(0, next - now), 2 ** 31 - 1));
}

// ---- status dot ------------------------------------------------------------
// The public sees a small dot (green online, amber offline, red when a
// bundle was refused or has expired), never error text: the details are in
// the dot's title and the console (warnings), and on screen with ?status=full
// (for installers).
const hhmmss = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const fullStatus = params.get('status') === 'full';
let lastWarning = '';

function paintStatus() {
  const now = serverNow();
  clockEl.textContent = new Date(now).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  state.status = state.online === false ? 'offline' : state.online ? 'online' : 'starting';
  const line1 = state.status === 'offline'
    ? `offline since ${hhmmss(state.offlineSince ?? now)}${bundle ? ' · playing the cached bundle' : ''}`
    : state.status;
  const clock = state.offsetSource === 'none' ? 'clock not measured' : `clock ${state.offsetMs >= 0 ? '+' : '−'}${Math.abs(Math.round(state.offsetMs))} ms (${state.offsetSource})`;
  const line2 = bundle ? `v${state.version} · frame ${state.frameIndex + 1}/${state.frames} · ${clock}` : clock;
  const warnings = [];
  if (state.expired) warnings.push(`expired ${hhmmss(bundle.expiresAt)}: no newer bundle`);
  if (state.refused) warnings.push(`refused: ${state.refused}`);
  else if (state.lastError) warnings.push(state.lastError);
  const warning = warnings.join(' · ');
  if (warning && warning !== lastWarning) console.warn(`kiosk: ${warning}`);
  lastWarning = warning;
  statusEl.title = [line1, line2, ...warnings].join('\n');
  statusEl.setAttribute('aria-label', state.status + (warning ? ' (attention needed)' : ''));
  statusEl.replaceChildren(...(fullStatus
    ? [el('span', {}, line1), el('span', {}, line2), ...warnings.map((w) => el('span', { class: 'warn' }, w))]
    : []));
  statusEl.dataset.state = state.status;
  statusEl.dataset.expired = String(state.expired);
  statusEl.dataset.refused = String(!!state.refused);
  statusEl.dataset.full = String(fullStatus);
}

// ---- the worker ------------------------------------------------------------
const worker = new Worker('sync.js');
worker.onerror = (e) => {
  e.preventDefault();
  state.lastError = `sync worker: ${e.message}`;
  paintStatus(); // and the console
};
worker.onmessage = ({ data: m }) => {
  switch (m.type) {
    case 'bundle':
      state.lastError = '';
      loadBundle(m.doc, m.source);
      break;
    case 'net':
      if (m.online === false && state.online !== false) state.offlineSince = serverNow();
      state.online = m.online;
      if (m.online) state.offlineSince = null;
      if (m.online) state.lastError = '';
      else if (m.detail) state.lastError = m.detail;
      paintStatus();
      break;
    case 'refused':
      state.refused = m.reason;
      state.refusals.push({ reason: m.reason, version: m.version, at: new Date(serverNow()).toISOString() });
      paintStatus();
      break;
    case 'clock':
      state.offsetMs = m.offsetMs;
      state.rttMs = m.rttMs;
      state.offsetSource = m.source;
      tick('clock'); // the correction may cross a boundary; re-arm the timer
      break;
    case 'events':
      state.events = { connected: m.connected, lastEventId: m.lastEventId };
      break;
    case 'assets':
      loadAssets(m.ready);
      break;
    case 'error':
      state.lastError = m.message;
      paintStatus();
      break;
  }
};

async function loadAssets(ready) {
  state.assets = ready;
  try {
    const cache = await caches.open(ASSET_CACHE);
    for (const url of ready) {
      if (objectURLs.has(url)) continue;
      const res = await cache.match(url);
      if (res) objectURLs.set(url, URL.createObjectURL(await res.blob()));
    }
    for (const [url, obj] of objectURLs) {
      if (!ready.includes(url)) {
        URL.revokeObjectURL(obj);
        objectURLs.delete(url);
      }
    }
  } catch (err) {
    console.warn(`kiosk: assets: ${err}`);
  }
  if (bundle) tick('assets', true); // show the images now available
}

// The Service Worker keeps the shell (and the assets) available offline.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('sw.js').catch((err) => console.warn(`kiosk: no service worker: ${err}`));
}

worker.postMessage({ type: 'init', cfg });
setInterval(() => tick('recheck'), 1000);
paintStatus();
