// The kiosk's frequency-cap budgets (kiosk/budget.js), without a browser:
// periods in a time zone (DST, week start, month end), rolling windows, and
// the fallback once a screen has spent a budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, periodStart, spend } from '../kiosk/budget.js';

const at = (s) => Date.parse(s);

test('calendar periods start at local midnight in the zone', () => {
  const buc = { per: 'DAY', timeZone: 'Europe/Bucharest' };
  assert.equal(periodStart(buc, at('2026-03-10T22:30:00Z')), at('2026-03-10T22:00:00Z'), 'already the 11th in Bucharest');
  assert.equal(periodStart({ per: 'DAY', timeZone: 'Europe/Bucharest' }, at('2026-03-29T20:00:00Z')), at('2026-03-28T22:00:00Z'), 'spring forward day');
  assert.equal(periodStart({ per: 'DAY', timeZone: 'America/New_York' }, at('2026-11-02T03:00:00Z')), at('2026-11-01T04:00:00Z'), 'fall back day starts at EDT midnight');
  assert.equal(periodStart({ per: 'DAY', timeZone: 'America/Sao_Paulo' }, at('2018-11-04T15:00:00Z')), at('2018-11-04T03:00:00Z'), 'a skipped midnight: the day starts at 01:00');
  assert.equal(periodStart({ per: 'WEEK', timeZone: 'Europe/Bucharest' }, at('2026-12-06T16:00:00Z')), at('2026-11-29T22:00:00Z'), 'Monday');
  assert.equal(periodStart({ per: 'WEEK' }, at('2027-01-01T10:00:00Z')), at('2026-12-28T00:00:00Z'), 'a week across the year');
  assert.equal(periodStart({ per: 'MONTH', timeZone: 'Europe/Bucharest' }, at('2026-02-28T23:00:00Z')), at('2026-02-28T22:00:00Z'), 'March already in Bucharest');
  assert.equal(periodStart({ per: 'MONTH' }, at('2028-02-29T12:00:00Z')), at('2028-02-01T00:00:00Z'));
});

test('rolling windows are exact; unknown periods never over-show', () => {
  assert.equal(parseDuration('168h'), 168 * 3600e3);
  assert.equal(parseDuration('1h30m'), 90 * 60e3);
  assert.ok(Number.isNaN(parseDuration('a week')));
  const now = at('2026-12-06T10:00:00Z');
  assert.equal(periodStart({ per: '90m' }, now), now - 90 * 60e3);
  assert.equal(periodStart({ per: 'LIFETIME' }, now), 0);
  assert.equal(periodStart({ per: 'nonsense' }, now), Infinity);
});

test('a screen shows the capped block until its budget is spent, then the fallback', () => {
  const fallback = { id: 'lobby-hero', type: 'hero', fields: { title: 'Welcome' }, decision: { variant: 'default' } };
  const block = { id: 'lobby-hero', type: 'hero', fields: { title: 'Today only' }, decision: { variant: 'lobby-promo' },
    budgets: [{ scope: 'variant', key: 'lobby-promo', max: 2, per: 'DAY', timeZone: 'Europe/Bucharest', fallback }] };
  const spends = {};
  const t0 = at('2026-12-06T08:00:00Z');
  assert.equal(spend(block, spends, t0), block);
  assert.equal(spend(block, spends, t0 + 60e3), block);
  assert.equal(spend(block, spends, t0 + 120e3), fallback, 'the third start of the day shows the fallback');
  assert.equal(spends['variant:lobby-hero/lobby-promo'].length, 2, 'a fallback spends nothing');
  assert.equal(spend(block, spends, at('2026-12-06T22:30:00Z')), block, 'a new day in Bucharest (00:30 local)');
  const plain = { id: 'x', type: 'hero', fields: {} };
  assert.equal(spend(plain, spends, t0), plain, 'no budgets: nothing spent');
});
