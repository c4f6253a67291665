// The kiosk worker's live side, loaded by sync.js (importScripts: one
// global scope): the server clock (heartbeat samples, Date-header
// fallback), the /events stream, and heartbeats to the fleet view.
'use strict';

// ---- clock ---------------------------------------------------------------
// Signs: skew = server clock − device clock (ms). The kiosk's corrected
// "server now" is deviceNow() + skew. Heartbeats report clockOffsetMs =
// device − server = −skew (the fleet API's convention), and the page is
// sent offsetMs in that same convention, so serverNow = deviceNow − offsetMs.
const samples = []; // heartbeat samples {skew, rtt}, newest last
let dateLo = -Infinity; // Date-header bounds on skew (coarse fallback)
let dateHi = Infinity;
let dateSamples = 0;
let clockSource = 'none';

function publishClock() {
  let skew = 0;
  let rtt = null;
  if (samples.length) {
    // NTP-style filter: the sample with the smallest round trip is the
    // least disturbed by queueing.
    const best = samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    skew = best.skew;
    rtt = best.rtt;
    clockSource = 'heartbeat';
  } else if (dateSamples) {
    // A Date header only says the server's second; intersected over
    // samples it bounds the skew. Use the smallest correction consistent
    // with every sample (0 when the clocks may well agree).
    skew = dateLo > 0 ? dateLo : dateHi < 0 ? dateHi : 0;
    if (!Number.isFinite(skew)) skew = 0;
    clockSource = 'date';
  }
  post({ type: 'clock', offsetMs: -skew, rttMs: rtt, source: clockSource, bounds: dateSamples ? [-dateHi, -dateLo] : null });
}

function dateSample(res, t0, t1) {
  const d = Date.parse(res.headers.get('Date') ?? '');
  if (!Number.isFinite(d)) return;
  // The server's clock read d..d+1000 at some device instant in [t0, t1].
  let lo = d - t1;
  let hi = d + 1000 - t0;
  if (lo > dateHi || hi < dateLo) { // disjoint: the clock jumped, start over
    dateLo = -Infinity;
    dateHi = Infinity;
    dateSamples = 0;
  }
  dateLo = Math.max(dateLo, lo);
  dateHi = Math.min(dateHi, hi);
  dateSamples++;
  if (!samples.length) publishClock();
}

// parseTime reads RFC 3339 with any number of fraction digits (Date.parse
// is only specified for milliseconds) and returns fractional ms.
function parseTime(s) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s ?? '');
  if (!m) return NaN;
  return Date.parse(m[1] + m[3]) + Number(`0.${m[2] ?? '0'}`) * 1000;
}

// ---- events ----------------------------------------------------------------
// /events is read with fetch() and a stream reader (EventSource cannot send
// X-API-Key), parsed per the SSE spec, and resumed with Last-Event-ID.
let wake = null; // resolves the reconnect wait early (the browser came online)

async function followEvents() {
  let attempt = 0;
  let retry = 2000;
  let everConnected = false;
  for (;;) {
    const ctrl = new AbortController();
    let idle = 0;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => ctrl.abort(new Error('events: idle')), EVENTS_IDLE);
    };
    try {
      const q = new URLSearchParams({ screen: cfg.screen, channel: cfg.channel, device: cfg.device });
      const h = headers({ Accept: 'text/event-stream' });
      if (lastEventId) h['Last-Event-ID'] = lastEventId;
      touch();
      const res = await fetch(`${cfg.api}/events?${q}`, { headers: h, cache: 'no-store', signal: ctrl.signal });
      if (!res.ok || !res.body) throw Object.assign(new Error(`events: ${await apiError(res)}`), { status: res.status });
      await readStream(res.body, touch, {
        retry: (ms) => { retry = ms; },
        dispatch: (type, data) => {
          if (type === 'ready') {
            attempt = 0;
            if (!lastEventId) {
              try { lastEventId = String(JSON.parse(data).lastEventId ?? ''); } catch { /* keep none */ }
            }
            post({ type: 'events', connected: true, lastEventId });
            setOnline(true);
            if (everConnected) refresh('reconnected'); // whatever was missed meanwhile
            everConnected = true;
          } else if (type === 'changed' || type.startsWith('campaign.')) {
            refresh(type);
          }
        },
        id: (id) => { lastEventId = id; },
      });
      throw new Error('events: stream closed');
    } catch (err) {
      clearTimeout(idle);
      ctrl.abort();
      post({ type: 'events', connected: false, lastEventId, error: String(err.message ?? err) });
      // The stream dropping is the fastest sign the API went away: check.
      if (err.status === undefined || unreachable(err.status)) refresh('events-lost');
    }
    attempt++;
    await Promise.race([sleep(backoff(attempt, retry / 2)), new Promise((r) => { wake = r; })]);
  }
}

async function readStream(body, touch, on) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  let type = '';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    touch();
    buf += value;
    let i;
    while ((i = buf.search(/\r\n|\r|\n/)) >= 0) {
      if (buf[i] === '\r' && i + 1 === buf.length) break; // a \r\n may be split: wait
      const line = buf.slice(0, i);
      buf = buf.slice(i + (buf.startsWith('\r\n', i) ? 2 : 1));
      if (line === '') {
        if (data.length || type) on.dispatch(type || 'message', data.join('\n'));
        type = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue; // comment
      const c = line.indexOf(':');
      const field = c < 0 ? line : line.slice(0, c);
      let val = c < 0 ? '' : line.slice(c + 1);
      if (val.startsWith(' ')) val = val.slice(1);
      if (field === 'event') type = val;
      else if (field === 'data') data.push(val);
      else if (field === 'id' && !val.includes('\0')) on.id(val);
      else if (field === 'retry' && /^\d+$/.test(val)) on.retry(Number(val));
    }
  }
}

// ---- heartbeat -------------------------------------------------------------
let heartbeatTimer = 0;

async function heartbeat() {
  let interval = cfg.heartbeat || 30;
  const body = {
    screenId: cfg.screenId, bundleVersion: shown.version, frame: shown.frame, channel: cfg.channel,
    device: cfg.device, locale: cfg.locale, client: CLIENT,
  };
  if (clockSource !== 'none') body.clockOffsetMs = -currentSkew();
  const t0 = deviceNow();
  try {
    const res = await fetch(`${cfg.api}/screens/${encodeURIComponent(cfg.screen)}/heartbeat`, {
      method: 'POST', headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }),
      body: JSON.stringify(body), cache: 'no-store',
    });
    const t1 = deviceNow();
    dateSample(res, t0, t1);
    if (res.ok) {
      const j = await res.json();
      const server = parseTime(j.serverTime);
      if (Number.isFinite(server)) {
        samples.push({ skew: server - (t0 + t1) / 2, rtt: t1 - t0 });
        if (samples.length > 8) samples.shift();
        publishClock();
      }
      if (!cfg.heartbeat && Number(j.interval) >= 1) interval = Number(j.interval);
    } else if (res.status !== 404 && res.status !== 405) {
      // 404/405: an API without heartbeats; keep running on the Date
      // header's coarse estimate (or none).
      console.warn(`kiosk: heartbeat: ${await apiError(res)}`);
    }
  } catch { /* offline: the status already says so */ }
  // A sample taken while the device is busy (boot) has a long round trip
  // and so a wide error (± half of it): retake a few soon.
  if (samples.length && samples.length < 4 && Math.min(...samples.map((x) => x.rtt)) > 25) interval = Math.min(interval, 2);
  if (reportPending) return; // a report of a new frame is due sooner
  clearTimeout(heartbeatTimer);
  heartbeatTimer = setTimeout(heartbeat, interval * 1000);
}

// reportSoon sends a heartbeat shortly after the frame on screen (or the
// bundle it comes from) changed,
// so the fleet view does not call this kiosk stale for a whole interval
// after a boot or a switch. Every screen switches at the same instant:
// the reports are spread over a couple of seconds.
const CHANGE_REPORT_SPREAD = 2000;
let reportPending = false;
function reportSoon() {
  if (reportPending) return;
  reportPending = true;
  clearTimeout(heartbeatTimer);
  heartbeatTimer = setTimeout(() => { reportPending = false; heartbeat(); }, Math.random() * CHANGE_REPORT_SPREAD);
}

function currentSkew() {
  if (samples.length) return samples.reduce((a, b) => (b.rtt < a.rtt ? b : a)).skew;
  if (dateSamples) return dateLo > 0 ? dateLo : dateHi < 0 ? dateHi : 0;
  return 0;
}
