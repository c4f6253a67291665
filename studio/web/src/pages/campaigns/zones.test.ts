import { describe, expect, it } from 'vitest';
import { inZone, localInput } from './zones';

describe('campaign zones', () => {
  it('reads a wall-clock time in the campaign zone', () => {
    expect(inZone('2026-11-27T10:00', 'Europe/Bucharest')!.toUTC().toISO()).toBe('2026-11-27T08:00:00.000Z');
    expect(localInput('2026-11-27T08:00:00Z', 'Europe/Bucharest')).toBe('2026-11-27T10:00');
  });
  it('refuses a time skipped by daylight saving and garbage', () => {
    expect(inZone('2026-03-29T03:30', 'Europe/Bucharest')).toBeNull();
    expect(inZone('tomorrow', 'UTC')).toBeNull();
    expect(inZone('', 'UTC')).toBeNull();
  });
});
