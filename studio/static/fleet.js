// Fleet panel: the kiosks and IoT displays that report heartbeats, and
// whether each shows what the server would serve it now. Uses gql, el and
// $ from studio.js (loaded first).
'use strict';

const FLEET = `{ screenFleet(first: 500) { screenId screen channel device locale client address
  bundleVersion currentVersion clockOffsetMs lastSeenAt state } }`;
const STATE_TEXT = { ONLINE: 'online', STALE: 'stale', OFFLINE: 'offline' };

function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return new Date(iso).toLocaleString();
}

function offset(ms) {
  if (ms == null) return '—';
  const r = Math.round(ms);
  return `${r > 0 ? '+' : ''}${r} ms`;
}

function renderFleet(units) {
  const counts = { ONLINE: 0, STALE: 0, OFFLINE: 0 };
  for (const u of units) counts[u.state]++;
  $('fleet-summary').textContent = units.length === 0
    ? 'No screen has reported yet. Kiosks and IoT displays POST /screens/{screen}/heartbeat.'
    : Object.entries(counts).map(([s, n]) => `${n} ${STATE_TEXT[s]}`).join(' · ');
  const rows = units.map((u) => el('tr', { dataset: { screenId: u.screenId, state: u.state } },
    el('td', {}, el('span', { class: `badge ${u.state.toLowerCase()}` }, STATE_TEXT[u.state])),
    el('td', {}, u.screenId),
    el('td', {}, u.screen),
    el('td', {}, [u.channel, u.device, u.locale].filter(Boolean).join(' · ') || '—'),
    el('td', { title: u.currentVersion ? `current: ${u.currentVersion}` : 'no bundle can be built for it' },
      u.bundleVersion || '—', u.state === 'STALE' ? el('span', { class: 'behind' }, ' (behind)') : null),
    el('td', {}, offset(u.clockOffsetMs)),
    el('td', { title: new Date(u.lastSeenAt).toLocaleString() }, ago(u.lastSeenAt)),
    el('td', {}, u.client || '—'),
    el('td', {}, el('button', { type: 'button', class: 'small', dataset: { forget: u.screenId },
      title: 'Remove this unit from the list (publishers and admins); it reappears if it reports again' }, 'Forget'))));
  $('fleet-rows').replaceChildren(...rows);
  $('fleet-table').hidden = units.length === 0;
}

async function loadFleet() {
  if ($('app').hidden) return;
  try {
    renderFleet((await gql(FLEET)).screenFleet);
  } catch (e) {
    $('fleet-summary').textContent = `Could not load screens: ${e.message}`;
  }
}

async function forget(screenId) {
  try {
    const d = await gql('mutation($id: String!) { forgetScreen(screenId: $id) }', { id: screenId });
    say(d.forgetScreen ? `Forgot screen ${screenId}.` : `Screen ${screenId} was already gone.`);
  } catch (e) {
    say(`Forget failed: ${e.message}`, true);
  }
  loadFleet();
}

$('fleet-refresh').addEventListener('click', loadFleet);
$('fleet-rows').addEventListener('click', (e) => {
  const id = e.target.closest('button[data-forget]')?.dataset.forget;
  if (id) forget(id);
});
new MutationObserver(loadFleet).observe($('app'), { attributes: true, attributeFilter: ['hidden'] });
setInterval(loadFleet, 5000);
loadFleet();
