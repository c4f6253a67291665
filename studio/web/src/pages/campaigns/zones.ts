// Time-zone helpers for scheduling in a campaign's own IANA zone (Luxon):
// a wall-clock time typed for the campaign's zone, shown beside the same
// instant in the browser's zone.
import { DateTime } from 'luxon';

export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function allZones(): string[] {
  const list = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

// inZone reads "2026-11-27T10:00" as a wall-clock time in zone; null when
// the text is not a time or the time does not exist there (a DST gap).
export function inZone(local: string, zone: string): DateTime | null {
  if (!local) return null;
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) return null;
  // Luxon moves a skipped time forward: refuse it as the server does.
  if (dt.toFormat("yyyy-MM-dd'T'HH:mm") !== local.slice(0, 16)) return null;
  return dt;
}

// localInput is the value of a datetime-local input for instant iso in zone.
export function localInput(iso: DateTime | string, zone: string): string {
  const dt = typeof iso === 'string' ? DateTime.fromISO(iso) : iso;
  return dt.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");
}
