// The kiosk's network side, run as a dedicated worker by kiosk.js: it
// fetches, verifies and stores bundles, follows /events, sends heartbeats,
// measures the clock offset and prefetches assets. The page only renders.
//
// Why a worker: besides keeping the render thread free, Chromium reports
// every failed request made by a page (the API down: 502, connection
// refused) as a console error, whatever the script does with it; requests
// made by a worker are not. Failures are reported to the page as status.
//
// Messages. Page → worker: {type:'init', cfg}, {type:'shown', version,
// frame}, {type:'refresh', reason}. Worker → page: {type:'bundle', doc,
// source, receivedAt}, {type:'net', online, detail}, {type:'refused',
// reason, version}, {type:'clock', offsetMs, rttMs, source},
// {type:'assets', ready}, {type:'events', connected, lastEventId},
// {type:'error', message}.
'use strict';

// The clock, /events and heartbeats (live.js) share this global scope.
importScripts('live.js');

const DATA_CACHE = 'mosaic-kiosk-data-v1'; // last verified bundle + key set
const ASSET_CACHE = 'mosaic-kiosk-assets-v1'; // verified manifest assets (sw.js serves them)
const HORIZON_HOURS = 72;
const BACKOFF_MIN = 1000;
const BACKOFF_MAX = 15_000;
const EVENTS_IDLE = 45_000; // the server sends a heartbeat event every 15 s
const CLIENT = 'mosaic-kiosk/1';

let cfg; // {api, screen, channel, device, locale, key, screenId, heartbeat, skew}
let keys = null; // {text, byKid: Map<kid, CryptoKey>}
let current = null; // {text, doc, epoch, generatedAt, etag}
let shown = { version: '', frame: '' };
let online = null;
let lastEventId = '';
let pollTimer = 0;
let pollFailures = 0;
let fetching = null;
let fetchAgain = false;
let readyAssets = new Set();

// deviceNow is this device's clock; ?skew= shifts it to simulate a device
// whose clock is off (tests and the switch-time benchmark).
const deviceNow = () => Date.now() + cfg.skew;
const post = (msg) => postMessage(msg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const jitter = (ms) => Math.round(ms * (0.5 + Math.random())); // 0.5×–1.5×
const backoff = (attempt, base = BACKOFF_MIN) => jitter(Math.min(BACKOFF_MAX, base * 2 ** Math.max(0, attempt - 1)));

function headers(extra = {}) {
  const h = { ...extra };
  if (cfg.key) h['X-API-Key'] = cfg.key;
  return h;
}

function bundleURL() {
  const q = new URLSearchParams({ channel: cfg.channel, device: cfg.device, locale: cfg.locale, horizon: String(HORIZON_HOURS) });
  return `${cfg.api}/screens/${encodeURIComponent(cfg.screen)}/bundle?${q}`;
}
const dataKey = (what) => `${cfg.api}/__kiosk/${what}?${new URLSearchParams({ screen: cfg.screen, channel: cfg.channel, device: cfg.device, locale: cfg.locale })}`;

function setOnline(value, detail = '') {
  if (online === value && !detail) return;
  online = value;
  post({ type: 'net', online: value, detail });
}

// apiError reads Mosaic's error bodies: {"errors":[{message, extensions:
// {code}}]} (GraphQL style) or {"error":{code, message}} (HTTP endpoints).
async function apiError(res) {
  let code = `HTTP ${res.status}`;
  let message = res.statusText || '';
  try {
    const body = await res.json();
    const e = body.errors?.[0] ?? body.error;
    if (e) {
      code = e.extensions?.code ?? e.code ?? code;
      message = e.message ?? message;
    }
  } catch { /* not JSON: keep the status */ }
  return `${code}: ${message}`.trim();
}

// A network failure or a gateway answer means the API is unreachable;
// anything else is the API talking (online, maybe misconfigured).
const unreachable = (status) => status === 502 || status === 503 || status === 504;

// ---- verification ----------------------------------------------------------
class Refusal extends Error {}

function b64url(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function importKeys(text) {
  const set = JSON.parse(text);
  const byKid = new Map();
  for (const k of set.keys ?? []) {
    if (k.kty !== 'OKP' || k.crv !== 'Ed25519' || typeof k.kid !== 'string' || typeof k.x !== 'string') continue;
    try {
      byKid.set(k.kid, await crypto.subtle.importKey('raw', b64url(k.x), { name: 'Ed25519' }, false, ['verify']));
    } catch (err) {
      console.warn(`kiosk: skipping key ${k.kid}: ${err}`);
    }
  }
  return { text, byKid };
}

async function fetchKeys() {
  const t0 = deviceNow();
  const res = await fetch(`${cfg.api}/.well-known/mosaic-bundle-keys.json`, { headers: headers({ Accept: 'application/json' }), cache: 'no-cache' });
  dateSample(res, t0, deviceNow());
  if (!res.ok) throw Object.assign(new Error(`keys: ${await apiError(res)}`), { status: res.status });
  return importKeys(await res.text());
}

const SIGNATURE = /,"signature":"([A-Za-z0-9_-]+)"\}\s*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

// verify checks a served document: the signed message is the exact bytes
// with the trailing `,"signature":"…"` member removed before the final
// `}` (bundle.SignedBytes). The text is never re-serialized: a strict
// UTF-8 decode round-trips the bytes exactly. It returns {text, doc} or
// throws a Refusal; `keySet` is the set to verify with (null: current,
// refetched once on an unknown key id).
async function verify(bytes, keySet = null) {
  let text;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new Refusal('not UTF-8');
  }
  const m = SIGNATURE.exec(text);
  if (!m) throw new Refusal('unsigned (the signature is not the last member)');
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Refusal('not JSON');
  }
  if (doc.signature !== m[1]) throw new Refusal('malformed signature member');
  const msg = encoder.encode(text.slice(0, m.index) + '}');
  let set = keySet ?? keys;
  let key = set?.byKid.get(doc.keyId);
  if (!key && !keySet) { // a rotation: refetch the key set once
    keys = set = await fetchKeys();
    key = set.byKid.get(doc.keyId);
  }
  if (!key) throw new Refusal(`unknown key ${JSON.stringify(String(doc.keyId))}`);
  let sig;
  try {
    sig = b64url(m[1]);
  } catch {
    throw new Refusal('malformed signature');
  }
  if (!(await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, msg))) throw new Refusal('bad signature');
  // Signed, but is it what we asked for? A valid bundle of another screen
  // or locale must not be shown here.
  for (const f of ['screen', 'channel', 'device', 'locale']) {
    if (doc[f] !== cfg[f]) throw new Refusal(`for ${f} ${JSON.stringify(doc[f])}, not ${JSON.stringify(cfg[f])}`);
  }
  if (doc.format !== 1 || !Array.isArray(doc.frames) || !doc.frames.length) throw new Refusal('unsupported format');
  const epoch = Number(/^(\d+)-/.exec(doc.version ?? '')?.[1]);
  const generatedAt = Date.parse(doc.generatedAt);
  if (!Number.isFinite(epoch) || !Number.isFinite(generatedAt)) throw new Refusal('malformed version or generatedAt');
  return { text, doc, epoch, generatedAt };
}

// Replay protection: (epoch, generatedAt) may only move forward.
const older = (a, b) => a.epoch < b.epoch || (a.epoch === b.epoch && a.generatedAt < b.generatedAt);

function refuse(reason, doc) {
  console.warn(`kiosk: bundle refused: ${reason}${doc?.version ? ` (version ${doc.version})` : ''}`);
  post({ type: 'refused', reason, version: doc?.version ?? '' });
}

// ---- storage -----------------------------------------------------------------
async function store(v, keySet) {
  try {
    const c = await caches.open(DATA_CACHE);
    const h = { 'Content-Type': 'application/json' };
    await c.put(dataKey('keys'), new Response(keySet.text, { headers: h }));
    await c.put(dataKey('bundle'), new Response(v.text, { headers: { ...h, 'X-ETag': v.etag ?? '' } }));
  } catch (err) {
    console.warn(`kiosk: could not store the bundle: ${err}`);
  }
}

// loadStored re-verifies the stored bundle with the stored key set: what
// comes back from disk is checked like what comes from the network.
async function loadStored() {
  try {
    const c = await caches.open(DATA_CACHE);
    const [b, k] = await Promise.all([c.match(dataKey('bundle')), c.match(dataKey('keys'))]);
    if (!b || !k) return false;
    const keySet = await importKeys(await k.text());
    const etag = b.headers.get('X-ETag') || null;
    const v = await verify(new Uint8Array(await b.arrayBuffer()), keySet);
    keys ??= keySet;
    accept({ ...v, etag }, 'cache');
    return true;
  } catch (err) {
    console.warn(`kiosk: ignoring the stored bundle: ${err.message ?? err}`);
    return false;
  }
}

function accept(v, source) {
  current = v;
  post({ type: 'bundle', doc: v.doc, source, receivedAt: deviceNow() });
  prefetchAssets(v.doc.assets ?? []);
}

// ---- bundle fetching -----------------------------------------------------
function schedulePoll(ms) {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(() => refresh('poll'), ms);
}

function maxAge(res) {
  const m = /max-age=(\d+)/.exec(res.headers.get('Cache-Control') ?? '');
  return m ? Number(m[1]) : 60;
}

// refresh fetches the bundle now; calls while a fetch runs coalesce into
// one more fetch after it.
function refresh(reason) {
  if (fetching) {
    fetchAgain = true;
    return fetching;
  }
  fetching = (async () => {
    try {
      do {
        fetchAgain = false;
        await fetchBundle(reason);
      } while (fetchAgain);
    } finally {
      fetching = null;
    }
  })();
  return fetching;
}

async function fetchBundle(reason) {
  const h = headers({ Accept: 'application/json' });
  // A 304 keeps the old document and so its expiresAt: past half its
  // life, ask for a fresh one unconditionally.
  if (current?.etag && deviceNow() + currentSkew() < (current.generatedAt + Date.parse(current.doc.expiresAt)) / 2) h['If-None-Match'] = current.etag;
  let res;
  const t0 = deviceNow();
  try {
    if (!keys) keys = await fetchKeys();
    res = await fetch(bundleURL(), { headers: h, cache: 'no-store' });
  } catch (err) {
    pollFailures++;
    setOnline(false, String(err.message ?? err));
    schedulePoll(backoff(pollFailures));
    return;
  }
  dateSample(res, t0, deviceNow());
  if (res.status === 304) {
    pollFailures = 0;
    setOnline(true);
    schedulePoll(pollDelay(res));
    retryAssets();
    return;
  }
  if (!res.ok) {
    const msg = await apiError(res);
    if (unreachable(res.status)) {
      pollFailures++;
      setOnline(false, msg);
      schedulePoll(backoff(pollFailures));
    } else {
      pollFailures = 0;
      setOnline(true);
      post({ type: 'error', message: `bundle: ${msg}` });
      console.warn(`kiosk: bundle: ${msg}`);
      schedulePoll(60_000);
    }
    return;
  }
  pollFailures = 0;
  setOnline(true);
  schedulePoll(pollDelay(res));
  const bytes = new Uint8Array(await res.arrayBuffer());
  let v;
  try {
    v = await verify(bytes);
  } catch (err) {
    if (!(err instanceof Refusal)) {
      post({ type: 'error', message: `verifying: ${err.message ?? err}` });
      return;
    }
    refuse(err.message, safeHead(bytes));
    return;
  }
  if (current && v.text === current.text) {
    retryAssets();
    return;
  }
  if (current && older(v, current)) {
    refuse(`older than the current bundle ${current.doc.version} (replay)`, v.doc);
    return;
  }
  v.etag = res.headers.get('ETag');
  accept(v, `network:${reason}`);
  await store(v, keys);
}

function pollDelay(res) {
  // Revalidate when the server says the document may change (max-age is
  // capped at the next frame boundary), but within 5 s..5 min.
  return jitter(Math.min(300, Math.max(5, maxAge(res))) * 1000);
}

function safeHead(bytes) {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

// ---- assets ----------------------------------------------------------------
// Every manifest asset is fetched once, its SHA-256 checked against the
// manifest, and cached only when it matches; the page shows images from
// that cache (never from the network), and sw.js serves them cache-first.
let prefetching = Promise.resolve();

// retryAssets prefetches again when some manifest asset is not cached yet
// (it failed its check, or the network was down when the bundle came).
function retryAssets() {
  const list = current?.doc.assets ?? [];
  if (list.length > readyAssets.size) prefetchAssets(list);
}

function prefetchAssets(list) {
  prefetching = prefetching.then(() => prefetch(list)).catch((err) => console.warn(`kiosk: prefetch: ${err}`));
}

async function prefetch(list) {
  const cache = await caches.open(ASSET_CACHE);
  const ready = new Set();
  for (const a of list) {
    if (typeof a?.url !== 'string' || !/^[0-9a-f]{64}$/i.test(a.sha256 ?? '')) continue;
    const url = new URL(a.url, cfg.api + '/').href;
    const hit = await cache.match(url);
    if (hit && hit.headers.get('X-SHA256') === a.sha256.toLowerCase()) {
      ready.add(url);
      continue;
    }
    try {
      const res = await fetch(url, { headers: headers(), cache: 'no-store' });
      if (!res.ok) {
        console.warn(`kiosk: asset ${a.id}: HTTP ${res.status}`);
        continue;
      }
      const body = await res.arrayBuffer();
      const sum = [...new Uint8Array(await crypto.subtle.digest('SHA-256', body))].map((b) => b.toString(16).padStart(2, '0')).join('');
      if (sum !== a.sha256.toLowerCase()) {
        console.warn(`kiosk: asset ${a.id} (${a.filename}): SHA-256 ${sum} does not match the manifest's ${a.sha256}; not cached`);
        continue;
      }
      await cache.put(url, new Response(body, { headers: { 'Content-Type': a.contentType || res.headers.get('Content-Type') || 'application/octet-stream', 'X-SHA256': sum } }));
      ready.add(url);
    } catch (err) {
      console.warn(`kiosk: asset ${a.id}: ${err.message ?? err}`); // offline: retried with the next bundle
    }
  }
  // Drop what no manifest lists any more.
  const keep = new Set(list.map((a) => (typeof a?.url === 'string' ? new URL(a.url, cfg.api + '/').href : '')));
  for (const req of await cache.keys()) if (!keep.has(req.url)) await cache.delete(req);
  readyAssets = ready;
  post({ type: 'assets', ready: [...ready] });
}

// ---- boot --------------------------------------------------------------------
self.addEventListener('online', () => { wake?.(); refresh('online'); });

self.onmessage = async ({ data }) => {
  if (data.type === 'init') {
    cfg = data.cfg;
    await loadStored(); // play at once (and offline) from the last verified bundle
    heartbeat();
    refresh('boot');
    followEvents();
  } else if (data.type === 'shown') {
    // A new frame or a new bundle: the fleet view should know soon.
    const changed = data.frame !== shown.frame || data.version !== shown.version;
    shown = { version: data.version, frame: data.frame };
    if (changed) reportSoon();
  } else if (data.type === 'refresh') {
    refresh(data.reason ?? 'page');
  }
};
