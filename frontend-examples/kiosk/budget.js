// Frequency-cap budgets on a shared screen (issue 19). A bundle's block
// that shows a capped variant carries `budgets`: {scope, key, max, per,
// timeZone, fallback}. The screen spends one exposure of each budget every
// time a frame starts showing the block (a frame switch or a restart); once
// a budget's period has spent max, the block's fallback (decided by the
// server with that target spent) is shown instead. Spends are the screen's
// own, kept in localStorage, so this works offline. Pure functions over a
// `spends` object ({target: [epoch ms, …]}), so tests run without a page.

// Go durations as the server writes them: "168h", "90m", "1h30m", "45s".
export function parseDuration(s) {
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;
  let total = 0;
  let seen = '';
  for (const m of String(s).matchAll(re)) {
    total += Number(m[1]) * { h: 3600e3, m: 60e3, s: 1e3, ms: 1, us: 1e-3, 'µs': 1e-3, ns: 1e-6 }[m[2]];
    seen += m[0];
  }
  return seen === String(s) && total > 0 ? total : NaN;
}

// The local date parts of instant t in zone tz.
function parts(t, tz) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz || 'UTC', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short',
  });
  const o = {};
  for (const p of f.formatToParts(new Date(t))) o[p.type] = p.value;
  return { y: +o.year, m: +o.month, d: +o.day, h: +o.hour, min: +o.minute, s: +o.second, wd: o.weekday };
}

// The instant local midnight of y-m-d begins in tz (or, where a DST change
// skips midnight, the first instant of that day).
function localMidnight(y, m, d, tz) {
  let t = Date.UTC(y, m - 1, d);
  for (let i = 0; i < 3; i++) { // the zone's offset at t, then at the result
    const p = parts(t, tz);
    const asUTC = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
    t = Date.UTC(y, m - 1, d) - (asUTC - t);
  }
  const p = parts(t, tz);
  if (p.d !== new Date(Date.UTC(y, m - 1, d)).getUTCDate()) {
    // The guess landed on the day before (a skipped midnight): step to the
    // first hour that belongs to the day.
    while (parts(t, tz).d !== new Date(Date.UTC(y, m - 1, d)).getUTCDate()) t += 15 * 60e3;
  }
  return t;
}

const weekdays = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

// The instant the budget's current period began: calendar periods in its
// time zone (weeks from Monday), a rolling window back from now, LIFETIME
// and CAMPAIGN (a campaign's key is its run) from the beginning.
export function periodStart(budget, now) {
  const tz = budget.timeZone || 'UTC';
  switch (budget.per) {
    case 'LIFETIME':
    case 'CAMPAIGN':
      return 0;
    case 'DAY':
    case 'WEEK':
    case 'MONTH': {
      const p = parts(now, tz);
      let day = new Date(Date.UTC(p.y, p.m - 1, p.d));
      if (budget.per === 'WEEK') day = new Date(day.getTime() - weekdays[p.wd] * 86400e3);
      if (budget.per === 'MONTH') day = new Date(Date.UTC(p.y, p.m - 1, 1));
      return localMidnight(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), tz);
    }
  }
  const d = parseDuration(budget.per);
  return Number.isFinite(d) ? now - d : Infinity; // unknown: spent (never over-show)
}

function target(block, budget) {
  return budget.scope === 'variant' ? `variant:${block.id}/${budget.key}` : `${budget.scope}:${budget.key}`;
}

// What the block shows now, spending one exposure of each budget when it
// is shown: the block itself while every budget has room, else the
// fallback of the first spent one. spends is updated in place.
export function spend(block, spends, now) {
  const budgets = Array.isArray(block?.budgets) ? block.budgets : [];
  for (const b of budgets) {
    const k = target(block, b);
    const since = periodStart(b, now);
    const used = (spends[k] ?? []).filter((t) => t >= since).length;
    if (used >= b.max) return b.fallback ?? block;
  }
  for (const b of budgets) {
    const k = target(block, b);
    const since = Math.min(periodStart(b, now), now - 400 * 86400e3);
    // Keep a year and a bit, and at most 1000 (the server's MaxCap).
    spends[k] = [...(spends[k] ?? []).filter((t) => t >= since), now].slice(-1000);
  }
  return block;
}

// localStorage-backed spends for one screen.
export function loadSpends(screen) {
  try { return JSON.parse(localStorage.getItem(`mosaic-kiosk-spends:${screen}`) ?? '{}') ?? {}; } catch { return {}; }
}

export function saveSpends(screen, spends) {
  try { localStorage.setItem(`mosaic-kiosk-spends:${screen}`, JSON.stringify(spends)); } catch { /* full or off: spends live in memory */ }
}
