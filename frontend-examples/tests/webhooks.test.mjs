// Mosaic's webhooks checked by the Standard Webhooks reference library
// (npm standardwebhooks), not by our own verifier: a real `mosaic dev`
// delivers a campaign's edit, start and end to a receiver here, and every
// message must verify, carry its purge keys, and fail when tampered with;
// and a scheduled report (experiment.sample_reached) verifies the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { startMosaic } from './harness.mjs';

// Scheduled reports are checked every second here (default 5m), so a
// reached sample size is announced while the test waits.
process.env.MOSAIC_REPORT_INTERVAL ??= '1s';

let mosaic, receiver;
const messages = []; // { body, headers }

before(async () => {
  mosaic = await startMosaic();
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      messages.push({ body, headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
});

after(async () => {
  receiver?.close();
  await mosaic?.stop();
});

async function gql(token, query, variables) {
  const res = await fetch(`${mosaic.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const out = await res.json();
  assert.equal(out.errors, undefined, JSON.stringify(out.errors));
  return out.data;
}

async function waitFor(cond, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('every webhook message verifies with the Standard Webhooks reference library', async () => {
  const admin = mosaic.mintToken('admin');
  const { port } = receiver.address();
  const created = await gql(admin, `mutation($u: String!) {
    createWebhookEndpoint(input: {url: $u, eventTypes: ["campaign.*", "changed"]}) { secret } }`,
  { u: `http://127.0.0.1:${port}/hooks` });
  const secret = created.createWebhookEndpoint.secret;
  assert.match(secret, /^whsec_/);

  const { campaign } = await gql(admin, '{ campaign(key: "winter-sale") { id } }');
  const start = new Date(Date.now() + 2_000);
  const end = new Date(start.getTime() + 2_000);
  await gql(admin, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) {
    scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { status } }`,
  { id: campaign.id, s: start.toISOString(), e: end.toISOString() });

  const types = () => messages.map((m) => JSON.parse(m.body).type);
  await waitFor(() => types().includes('campaign.started') && types().includes('campaign.ended'),
    'the start and the end to be delivered');

  const wh = new Webhook(secret);
  const seen = new Set();
  for (const m of messages) {
    const payload = wh.verify(m.body, m.headers); // throws when it does not verify
    assert.equal(m.headers['webhook-id'], `evt_${payload.id}`, 'the webhook-id names the event');
    assert.ok(Array.isArray(payload.data.purge) && payload.data.purge.length > 0, `purge keys in ${m.body}`);
    if (payload.type.startsWith('campaign.')) {
      assert.deepEqual(payload.data.purge, ['campaign:winter-sale']);
    }
    seen.add(m.headers['webhook-id']);

    // What must not verify: a changed body, a changed timestamp, another
    // secret.
    assert.throws(() => wh.verify(m.body + ' ', m.headers));
    const shifted = { ...m.headers, 'webhook-timestamp': String(Number(m.headers['webhook-timestamp']) + 1) };
    assert.throws(() => wh.verify(m.body, shifted));
    assert.throws(() => new Webhook('whsec_' + Buffer.from('another secret, 32 bytes long!!!').toString('base64')).verify(m.body, m.headers));
  }
  assert.equal(seen.size, messages.length, 'one message per event: no duplicate webhook-id');
  const counts = types().reduce((c, t) => ({ ...c, [t]: (c[t] ?? 0) + 1 }), {});
  assert.equal(counts['campaign.started'], 1, JSON.stringify(counts));
  assert.equal(counts['campaign.ended'], 1, JSON.stringify(counts));
});

test('a scheduled report verifies too: an experiment reaching its planned sample size, announced once', async () => {
  const admin = mosaic.mintToken('admin');
  const { port } = receiver.address();
  const created = await gql(admin, `mutation($u: String!) {
    createWebhookEndpoint(input: {url: $u, eventTypes: ["experiment.*"]}) { secret } }`,
  { u: `http://127.0.0.1:${port}/reports` });
  const wh = new Webhook(created.createWebhookEndpoint.secret);

  // Plan cta-test for one person, then expose one through delivery.
  const { experiment } = await gql(admin, '{ experiment(key: "cta-test") { version name arms { key weight } } }');
  await gql(admin, `mutation($in: ExperimentInput!, $v: Int!) { updateExperiment(input: $in, expectedVersion: $v) { plannedSampleSize } }`,
    { in: { key: 'cta-test', name: experiment.name, arms: experiment.arms, plannedSampleSize: 1 }, v: experiment.version });
  await gql(admin, `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) { id } }`,
    { ctx: { visitorId: 'report-hook-visitor', device: 'desktop', channel: 'web' } });

  const reached = () => messages.filter((m) => JSON.parse(m.body).type === 'experiment.sample_reached');
  await waitFor(() => reached().length > 0, 'experiment.sample_reached to be delivered');
  const payload = wh.verify(reached()[0].body, reached()[0].headers); // throws when it does not verify
  assert.equal(payload.data.experiment, 'cta-test');
  assert.equal(payload.data.plannedSampleSize, 1);
  assert.ok(payload.data.visitors >= 1, JSON.stringify(payload.data));
  assert.throws(() => wh.verify(reached()[0].body + ' ', reached()[0].headers));

  // Several rounds ran by now (one a second); one delivery of one event.
  // (That no later round announces it again is proven in Go:
  // TestScheduledReportsOnceThroughWebhooks.)
  const d = await gql(admin, '{ webhookDeliveries(first: 100) { nodes { eventType } } }');
  assert.equal(d.webhookDeliveries.nodes.filter((n) => n.eventType === 'experiment.sample_reached').length, 1);
  assert.equal(reached().length, 1);
});
