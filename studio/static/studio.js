// Mosaic campaign studio: plain JS against /graphql on this origin.
'use strict';

const KEY = 'mosaic.studio.token';
const CHANNELS = ['web', 'app', 'kiosk'];
// What each channel's time-travel column reads.
const VIEWS = [
  { channel: 'web', slug: 'home' },
  { channel: 'app', slug: 'home' },
  { channel: 'kiosk', slug: 'lobby' },
];
const DAY = 86_400_000;

const $ = (id) => document.getElementById(id);
const state = { campaigns: [], conflicts: [], transitions: [], selected: null, timer: null };

function el(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids.flat()) if (k != null) e.append(k);
  return e;
}

function say(msg, error = false) {
  $('status').textContent = msg;
  $('status').classList.toggle('error', error);
}

async function gql(query, variables = {}, token = sessionStorage.getItem(KEY)) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}` }] }));
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new Error(e.extensions?.code ? `${e.extensions.code}: ${e.message}` : e.message);
  }
  return body.data;
}

// ---- time helpers: datetime-local inputs are the browser's local time.
const pad = (n) => String(n).padStart(2, '0');
function toLocalInput(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
function fromLocalInput(v) {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new Error('pick a date and time');
  return d.toISOString();
}
const fmt = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

// ---- sign in
function roleOf(token) {
  try {
    const p = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return [p.role, p.sub].filter(Boolean).join(' · ');
  } catch { return ''; }
}

async function useToken(token) {
  token = token.trim();
  await gql('{ campaigns { id } }', {}, token); // proves the token can read campaigns
  sessionStorage.setItem(KEY, token);
  showApp();
}

function showApp() {
  const token = sessionStorage.getItem(KEY);
  const signedIn = Boolean(token);
  $('login').hidden = signedIn;
  $('app').hidden = !signedIn;
  $('logout').hidden = !signedIn;
  $('who').textContent = signedIn ? `Signed in ${roleOf(token)}` : 'Not signed in';
  clearInterval(state.timer);
  if (signedIn) {
    if (!$('tt-at').value) $('tt-at').value = toLocalInput(new Date());
    loadSegments();
    refresh();
    state.timer = setInterval(refresh, 5000);
  }
}

// ---- timeline
const CAMPAIGN = `id key name status priority channels startsAt endsAt stoppedAt nextTransition version releaseSize
  variants { slug blockId variant }`;

async function refresh() {
  const days = Number($('span').value);
  const from = new Date(Date.now() - (days === 1 ? 6 * 3600_000 : DAY));
  const to = new Date(from.getTime() + days * DAY);
  state.range = { from, to };
  try {
    const d = await gql(`query($from: DateTime!, $to: DateTime!) {
      campaigns { ${CAMPAIGN} }
      campaignTimeline(from: $from, to: $to) { at kind campaign { key } }
      campaignConflicts(from: $from, to: $to) { slug blockId from to channels reason campaigns { key } winner { key } }
    }`, { from: from.toISOString(), to: to.toISOString() });
    state.campaigns = d.campaigns;
    state.transitions = d.campaignTimeline;
    state.conflicts = d.campaignConflicts;
    renderTimeline();
    renderPicker();
  } catch (e) {
    say(`Could not load campaigns: ${e.message}`, true);
  }
}

function endOf(c) {
  return c.stoppedAt && (!c.endsAt || c.stoppedAt < c.endsAt) ? c.stoppedAt : c.endsAt;
}

function renderTimeline() {
  const { from, to } = state.range;
  const span = to - from;
  const pct = (t) => `${((t - from) / span) * 100}%`;
  const days = Math.round(span / DAY);
  const step = days <= 1 ? 3 * 3600_000 : DAY;
  const ticks = [];
  const first = new Date(from); first.setMinutes(0, 0, 0);
  if (step === DAY) first.setHours(0);
  for (let t = first.getTime() + step; t < to; t += step) {
    const d = new Date(t);
    const label = step === DAY ? d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' })
      : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    ticks.push({ t, label });
  }
  const tickEls = (labels) => ticks.map(({ t, label }) => el('div', { class: labels ? 'tick' : 'grid' }, labels ? label : null));
  const place = (nodes) => nodes.forEach((n, i) => { n.style.left = pct(ticks[i].t); });

  const axisTicks = tickEls(true); place(axisTicks);
  const axis = el('div', { class: 'axis', 'aria-hidden': 'true' }, el('div'), el('div', { class: 'track' }, axisTicks));
  const conflicted = new Set(state.conflicts.flatMap((c) => c.campaigns.map((k) => k.key)));
  const lanes = CHANNELS.map((ch) => {
    const grid = tickEls(false); place(grid);
    const now = el('div', { class: 'now', title: 'now' }); now.style.left = pct(Date.now());
    const track = el('div', { class: 'track' }, grid, now);
    const shown = state.campaigns.filter((c) => c.startsAt && !c.archived &&
      (c.channels.length === 0 || c.channels.includes(ch)) &&
      new Date(c.startsAt) < to && (!endOf(c) || new Date(endOf(c)) > from));
    shown.forEach((c, row) => {
      const s = Math.max(new Date(c.startsAt), from);
      const e = Math.min(endOf(c) ? new Date(endOf(c)) : to, to);
      const status = c.status.toLowerCase();
      const classes = ['cbar', status];
      if (conflicted.has(c.key)) classes.push('conflict');
      if (state.selected === c.id) classes.push('selected');
      const b = el('button', {
        type: 'button', class: classes.join(' '), dataset: { campaign: c.key, status: c.status, channel: ch },
        title: `${c.name} (${c.key}) ${c.status}: ${fmt(c.startsAt)} → ${fmt(endOf(c))}`,
        'aria-label': `${c.name} on ${ch}: ${c.status}, ${fmt(c.startsAt)} to ${fmt(endOf(c))}`,
      }, `${c.name} · ${c.status.toLowerCase()}`);
      b.style.left = pct(s);
      b.style.width = `max(8px, ${((e - s) / span) * 100}%)`;
      b.style.top = `${0.35 + row * 2}rem`;
      b.addEventListener('click', () => select(c.id));
      track.append(b);
    });
    track.style.minHeight = `${Math.max(1, shown.length) * 2 + 0.7}rem`;
    for (const t of state.transitions) {
      const c = state.campaigns.find((x) => x.key === t.campaign.key);
      if (c && (c.channels.length === 0 || c.channels.includes(ch))) {
        const m = el('div', { class: 'trans', title: `${t.campaign.key} ${t.kind.toLowerCase()} ${fmt(t.at)}` });
        m.style.left = pct(new Date(t.at));
        track.append(m);
      }
    }
    return el('div', { class: 'lane', dataset: { channel: ch } }, el('div', { class: 'lane-name' }, ch), track);
  });
  $('timeline').replaceChildren(axis, ...lanes);

  const drafts = state.campaigns.filter((c) => !c.startsAt && !c.archived);
  $('unscheduled').replaceChildren(...(drafts.length ? [el('p', {}, 'Not scheduled: ',
    ...drafts.map((c, i) => [i ? ', ' : '', el('button', { type: 'button', class: 'link', onclick: () => select(c.id) }, `${c.name} (${c.key})`)]))] : []));
  $('conflicts').replaceChildren(...(state.conflicts.length ? [
    el('h3', {}, 'Overlaps'),
    el('ul', { class: 'conflict-list' }, state.conflicts.map((c) => el('li', { dataset: { slug: c.slug } },
      `${c.slug}${c.blockId ? ` / ${c.blockId}` : ''}: ${c.campaigns.map((k) => k.key).join(' vs ')} on ${c.channels.length ? c.channels.join(', ') : 'every channel'}, ${fmt(c.from)} → ${fmt(c.to)}. `,
      el('strong', {}, c.winner ? `${c.winner.key} wins` : 'tie: decided per visitor'), ` (${c.reason})`))),
  ] : []));
}

// ---- the selected campaign
function renderPicker() {
  const sel = $('campaign');
  const keep = state.selected ?? sel.value;
  sel.replaceChildren(...state.campaigns.filter((c) => !c.archived)
    .map((c) => el('option', { value: c.id }, `${c.name} (${c.key}) — ${c.status.toLowerCase()}`)));
  if (keep && state.campaigns.some((c) => c.id === keep)) sel.value = keep;
  state.selected = sel.value || null;
  renderInfo();
}

function current() { return state.campaigns.find((c) => c.id === state.selected); }

function select(id) {
  state.selected = id;
  $('campaign').value = id;
  const c = current();
  if (c?.startsAt) $('starts').value = toLocalInput(new Date(c.startsAt));
  if (c?.endsAt) $('ends').value = toLocalInput(new Date(c.endsAt));
  renderInfo();
  renderTimeline();
  $('campaign').focus();
}

function renderInfo() {
  const c = current();
  if (!c) { $('campaign-info').textContent = 'No campaign yet.'; return; }
  const owned = [...new Set(c.variants.map((v) => `${v.slug}${v.blockId ? `/${v.blockId}` : ''}`))].join(', ') || 'none';
  $('campaign-info').replaceChildren(
    el('span', { dataset: { status: c.status }, id: 'campaign-status' }, `Status ${c.status}`),
    ` · ${fmt(c.startsAt)} → ${fmt(endOf(c))} · priority ${c.priority} · channels ${c.channels.join(', ') || 'all'} · variants on ${owned} · release ${c.releaseSize}`);
}

async function act(label, fn) {
  try {
    say(`${label}…`);
    await fn();
    say(`${label}: done.`);
    await refresh();
  } catch (e) {
    say(`${label} failed: ${e.message}`, true);
  }
}

async function schedule(startsAt, endsAt) {
  const c = current();
  if (!c) throw new Error('select a campaign');
  await gql(`mutation($id: ID!, $s: DateTime!, $e: DateTime!) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { id } }`,
    { id: c.id, s: startsAt, e: endsAt });
}

// ---- time travel
async function loadSegments() {
  try {
    const d = await gql('{ segments { key name } }');
    const sel = $('tt-segment');
    sel.replaceChildren(el('option', { value: '' }, '(none)'), ...d.segments.map((s) => el('option', { value: s.key }, s.name || s.key)));
  } catch { /* a token without content.read on segments still time-travels */ }
}

const DECISION = 'decision { variant reason campaign { key } }';

async function timeTravel() {
  const at = fromLocalInput($('tt-at').value);
  const device = $('tt-device').value || null;
  const segment = $('tt-segment').value;
  const cols = await Promise.all(VIEWS.map(async (v) => {
    const ctx = { channel: v.channel, at, device, segments: segment ? [segment] : [] };
    const d = await gql(`query($slug: String!, $ctx: ExperienceContext) {
      entry(slug: $slug, context: $ctx) { slug version ${DECISION} blocks { id type fields ${DECISION} } } }`, { slug: v.slug, ctx });
    return { v, entry: d.entry };
  }));
  $('tt-out').replaceChildren(...cols.map(({ v, entry }) => el('article', { class: 'channel', dataset: { channel: v.channel } },
    el('h3', {}, `${v.channel} · ${v.slug}`),
    entry ? entry.blocks.map((b) => el('div', { class: 'block', dataset: { block: b.id, variant: b.decision.variant, campaign: b.decision.campaign?.key ?? '' } },
      el('span', {}, `${b.id} (${b.type}): `),
      el('span', { class: `v${b.decision.campaign ? ' campaign' : ''}` }, b.decision.variant),
      b.decision.campaign ? ` · campaign ${b.decision.campaign.key}` : '',
      el('span', { class: 'reason' }, b.decision.reason),
      b.fields?.title ? el('span', { class: 'title' }, `“${b.fields.title}”`) : null))
      : el('p', {}, 'Not published at that instant.'))));
  say(`Showing what web, app and kiosk see at ${fmt(at)}.`);
}

// ---- launch diff
async function diff() {
  const c = current();
  if (!c?.startsAt) throw new Error('schedule the campaign first: the diff compares just before and just after its start');
  const start = new Date(c.startsAt).getTime();
  const vars = { from: new Date(start - 1000).toISOString(), to: new Date(start + 1000).toISOString() };
  const parts = await Promise.all(VIEWS.map(async (v) => {
    const d = await gql(`query($slug: String!, $ctx: ExperienceContext, $from: DateTime!, $to: DateTime!) {
      experienceDiff(slug: $slug, context: $ctx, from: $from, to: $to) { changed changes { blockId type kind fields
        before { decision { variant } } after { decision { variant campaign { key } } } } } }`,
    { slug: v.slug, ctx: { channel: v.channel }, ...vars });
    return { v, d: d.experienceDiff };
  }));
  $('diff-out').replaceChildren(el('h3', {}, `At ${fmt(c.startsAt)}`), el('ul', {}, parts.map(({ v, d }) => el('li', { dataset: { channel: v.channel } },
    `${v.channel} · ${v.slug}: `, d.changed ? d.changes.map((ch) => `${ch.blockId ?? '(entry)'} ${ch.kind.toLowerCase()}: ${ch.before?.decision.variant ?? '—'} → ${ch.after?.decision.variant ?? '—'}${ch.fields.length ? ` (${ch.fields.join(', ')})` : ''}`).join('; ') : 'no change'))));
}

// ---- wiring
function wire() {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    useToken($('token').value).then(() => say('Signed in.'), (err) => say(`Sign-in failed: ${err.message}`, true));
  });
  $('password-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const d = await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
        { e: $('email').value, p: $('password').value }, null);
      await useToken(d.login.token);
      say('Signed in.');
    } catch (err) { say(`Log-in failed: ${err.message}`, true); }
  });
  $('logout').addEventListener('click', () => { sessionStorage.removeItem(KEY); $('token').value = ''; showApp(); say('Signed out.'); $('token').focus(); });
  $('span').addEventListener('change', refresh);
  $('refresh').addEventListener('click', refresh);
  $('campaign').addEventListener('change', (e) => select(e.target.value));
  $('schedule').addEventListener('click', () => act('Schedule', () => schedule(fromLocalInput($('starts').value), fromLocalInput($('ends').value))));
  $('soon').addEventListener('click', () => act('Schedule', () => {
    const s = new Date(Date.now() + 5000);
    $('starts').value = toLocalInput(s);
    $('ends').value = toLocalInput(new Date(s.getTime() + 3600_000));
    return schedule(s.toISOString(), new Date(s.getTime() + 3600_000).toISOString());
  }));
  $('launch').addEventListener('click', () => act('Launch', async () => {
    const c = current();
    const endsAt = $('ends').value ? fromLocalInput($('ends').value) : new Date(Date.now() + 3600_000).toISOString();
    await gql(`mutation($id: ID!, $e: DateTime) { launchCampaign(id: $id, endsAt: $e) { id } }`, { id: c.id, e: c.endsAt ? null : endsAt });
  }));
  $('stop').addEventListener('click', () => act('Stop', () => gql(`mutation($id: ID!) { stopCampaign(id: $id) { id } }`, { id: current().id })));
  $('archive').addEventListener('click', () => act('Archive', () => gql(`mutation($id: ID!) { archiveCampaign(id: $id) { id } }`, { id: current().id })));
  $('diff').addEventListener('click', () => diff().catch((e) => say(`Diff failed: ${e.message}`, true)));
  $('create-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const channels = [...document.querySelectorAll('input[name=channel]:checked')].map((i) => i.value);
    act('Create', async () => {
      const d = await gql(`mutation($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }`,
        { in: { key: $('new-key').value, name: $('new-name').value, priority: Number($('new-priority').value) || 0, channels } });
      state.selected = d.createCampaign.id;
      e.target.reset();
    });
  });
  $('tt-campaign').addEventListener('click', () => {
    const c = current();
    if (!c?.startsAt) { say('The selected campaign has no window.', true); return; }
    $('tt-at').value = toLocalInput(new Date(new Date(c.startsAt).getTime() + 2000));
  });
  $('tt-form').addEventListener('submit', (e) => {
    e.preventDefault();
    timeTravel().catch((err) => say(`Time travel failed: ${err.message}`, true));
  });
  showApp();
}

wire();
