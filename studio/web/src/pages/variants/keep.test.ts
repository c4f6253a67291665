// upsertVariant and updateExperiment replace what they save whole: what
// the forms do not show must go back unchanged.
import { describe, expect, it } from 'vitest';
import { experimentInput } from '../audiences/experiment';
import { capErrors, capFromStored, capInput, capOut } from './cap';
import { formOf, fromStored, variantInput } from './stored';

const stored = fromStored([
  { key: 'vip', targeting: { segments: ['vip'] }, priority: 1, fields: { heading: 'VIP' }, cap: { max: 3, per: 'WEEK', timeZone: 'Europe/Bucharest' } },
  { key: 'plain', targeting: {}, priority: 0, fields: {} },
]);

describe('a variant with a cap', () => {
  it('keeps its cap when only its priority is edited (loaded with Edit)', () => {
    const form = { ...formOf(stored[0]), priority: 5 };
    expect(variantInput(form, { heading: 'VIP' }, stored)).toEqual({
      key: 'vip', segments: ['vip'], devices: [], channels: [], locales: [], campaign: null, experiment: null, arm: null,
      priority: 5, fields: { heading: 'VIP' }, cap: { max: 3, per: 'WEEK', timeZone: 'Europe/Bucharest' },
    });
  });

  it('keeps its cap when replaced by key without being loaded', () => {
    const form = { key: 'vip', segments: ['vip'], devices: '', channels: '', locales: '', campaign: '', experiment: '', arm: '', priority: 2, fields: '{}' };
    expect(variantInput(form, {}, stored).cap).toEqual({ max: 3, per: 'WEEK', timeZone: 'Europe/Bucharest' });
  });

  it('loses its cap only when the editor switches it off, and others get none', () => {
    expect(variantInput({ ...formOf(stored[0]), cap: null }, {}, stored)).not.toHaveProperty('cap');
    expect(variantInput(formOf(stored[1]), {}, stored)).not.toHaveProperty('cap');
  });
});

describe('caps', () => {
  it('read a rolling duration and per channel back as they were sent', () => {
    const d = capFromStored({ max: 2, per: '168h', perChannel: true })!;
    expect(d).toEqual({ max: '2', per: 'ROLLING', duration: '168h', timeZone: '', perChannel: true });
    expect(capInput(d)).toEqual({ max: 2, per: '168h', perChannel: true });
    expect(capFromStored(null)).toBeNull();
    expect(capOut({ max: 1, per: 'DAY', timeZone: null, perChannel: false })).toEqual({ max: 1, per: 'DAY' });
  });
  it('pick the server’s cap paths for the inputs', () => {
    const err = { graphQLErrors: [{ extensions: { code: 'BAD_USER_INPUT', fields: [
      { path: 'variants.0.cap.max', message: 'max must be between 1 and 1000' }, { path: 'variants.0.targeting.devices.0', message: 'unknown device' }] } }] };
    expect(capErrors(err)).toEqual({ max: 'max must be between 1 and 1000' });
  });
});

describe('an experiment edited in the studio', () => {
  const initial = {
    key: 'hero', name: 'Hero', holdout: 0.1, version: 3, arms: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }],
    primaryMetric: 'signup', guardrailMetrics: ['bounce'], plannedSampleSize: 2000, cap: { max: 5, per: 'DAY', timeZone: null, perChannel: false },
  };
  it('keeps its metrics, planned sample size and cap through a rename', () => {
    expect(experimentInput({ key: 'hero', name: 'Hero banner', holdout: 0.1, arms: initial.arms }, initial)).toEqual({
      key: 'hero', name: 'Hero banner', holdout: 0.1, arms: initial.arms,
      primaryMetric: 'signup', guardrailMetrics: ['bounce'], plannedSampleSize: 2000, cap: { max: 5, per: 'DAY' },
    });
  });
  it('sends what the editor changed, and clears what it cleared', () => {
    expect(experimentInput({ key: 'hero', name: 'Hero', holdout: 0.1, arms: initial.arms }, initial,
      { primaryMetric: 'bounce', guardrailMetrics: [], plannedSampleSize: null, cap: null })).toMatchObject({
      primaryMetric: 'bounce', guardrailMetrics: [], plannedSampleSize: null, cap: null,
    });
    expect(experimentInput({ key: 'n', name: 'N', holdout: 0, arms: initial.arms }, undefined,
      { primaryMetric: 'signup', guardrailMetrics: [], plannedSampleSize: 100, cap: { max: '2', per: 'WEEK', duration: '', timeZone: '', perChannel: false } }))
      .toEqual({ key: 'n', name: 'N', holdout: 0, arms: initial.arms, primaryMetric: 'signup', plannedSampleSize: 100, cap: { max: 2, per: 'WEEK' } });
  });
  it('sends none of them for a new experiment', () => {
    expect(experimentInput({ key: 'x', name: 'X', holdout: 0, arms: initial.arms })).toEqual({ key: 'x', name: 'X', holdout: 0, arms: initial.arms });
  });
});
