// The GraphQL-over-HTTP conformance suite of the graphql-http package
// (serverAudits) against a real `mosaic dev`: every MUST audit passes; the
// SHOULD and MAY results are reported (bench/RESULTS.md records them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serverAudits } from 'graphql-http';
import { startMosaic } from './harness.mjs';

const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync(require.resolve('graphql-http/package.json'), 'utf8'));

// The audits send ~60 requests back to back from one address: the
// per-address rate limit (tested in Go) would turn the last ones into 429s.
process.env.MOSAIC_RATE_LIMIT_IP = '0';

let mosaic;
before(async () => { mosaic = await startMosaic(); });
after(() => mosaic?.stop());

test('graphql-http server audits: every MUST passes', async (t) => {
  const results = [];
  for (const audit of serverAudits({ url: `${mosaic.url}/graphql` })) {
    results.push(await audit.fn()); // one at a time: answers stay readable in a failure
  }
  const level = (name) => name.split(' ')[0]; // MUST, SHOULD or MAY
  const tally = {};
  for (const r of results) {
    const l = level(r.name);
    tally[l] ??= { ok: 0, all: 0 };
    tally[l].all += 1;
    if (r.status === 'ok') tally[l].ok += 1;
  }
  const line = ['MUST', 'SHOULD', 'MAY'].map((l) => `${l} ${tally[l]?.ok ?? 0}/${tally[l]?.all ?? 0}`).join(', ');
  console.log(`graphql-http ${version} serverAudits: ${line}`);
  for (const r of results.filter((x) => x.status !== 'ok')) {
    t.diagnostic(`${r.status} ${r.id} ${r.name}: ${r.reason}`);
  }

  const failedMust = results.filter((r) => level(r.name) === 'MUST' && r.status !== 'ok')
    .map((r) => `${r.id} ${r.name}: ${r.reason}`);
  assert.deepEqual(failedMust, []);
  assert.ok(tally.MUST.all >= 10, `the suite ran its MUST audits (${tally.MUST.all})`);
});

test('what is not a GraphQL request answers in the GraphQL error shape with a code', async () => {
  const url = `${mosaic.url}/graphql`;
  const cases = [
    { init: { method: 'POST', body: '{ __typename }' }, status: 415 }, // fetch sends text/plain
    { init: { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }, status: 405, allow: 'GET, POST, OPTIONS' },
    { init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' }, status: 400 },
  ];
  for (const { init, status, allow } of cases) {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const res = await fetch(url, { ...init, headers: { ...init.headers, accept } });
      const body = await res.json();
      const label = `${init.method} ${init.body} (accept ${accept})`;
      assert.equal(res.status, status, label);
      assert.equal(res.headers.get('content-type'), accept, label);
      assert.equal(res.headers.get('allow'), allow ?? null, label);
      assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT', label);
      assert.ok(body.errors[0].message.length > 10, label);
    }
  }
});
