import { describe, expect, it } from 'vitest';
import { calendarEvents, onChannel, type CalCampaign } from './calendar';

const camp = (over: Partial<CalCampaign>): CalCampaign => ({
  id: '1', key: 'bf', name: 'Black Friday', status: 'SCHEDULED', timeZone: 'Europe/Bucharest', priority: 10,
  channels: [], startsAt: '2026-11-27T08:00:00Z', endsAt: '2026-11-27T08:01:00Z', stoppedAt: null, releaseSize: 0, ...over,
});

describe('calendarEvents', () => {
  it('draws a window per scheduled campaign and skips drafts without one', () => {
    const ev = calendarEvents([camp({}), camp({ id: '2', key: 'd', startsAt: null, endsAt: null, status: 'DRAFT' })], []);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ start: '2026-11-27T08:00:00Z', end: '2026-11-27T08:01:00Z', classNames: ['cal-campaign', 'cal-scheduled'] });
    expect(ev[0].extendedProps.detail).toContain('every channel');
  });
  it('cuts a stopped campaign at its stop', () => {
    const ev = calendarEvents([camp({ status: 'STOPPED', stoppedAt: '2026-11-27T08:00:30Z' })], []);
    expect(ev[0].end).toBe('2026-11-27T08:00:30Z');
  });
  it('adds the release publish and marks conflicts with the winner', () => {
    const ev = calendarEvents([camp({ releaseSize: 2 }), camp({ id: '2', key: 'spring', name: 'Spring', priority: 1 })], [
      { slug: 'deals', from: '2026-11-27T08:00:00Z', to: '2026-11-27T08:01:00Z', channels: ['web'], campaigns: [{ key: 'bf' }, { key: 'spring' }], winner: { key: 'bf' }, reason: 'higher priority' },
    ]);
    expect(ev.find((e) => e.id === 'r-1')?.title).toContain('publishes 2');
    expect(ev.find((e) => e.id === 'w-1')?.classNames).toContain('cal-wins');
    expect(ev.find((e) => e.id === 'w-2')?.classNames).toContain('cal-loses');
    const c = ev.find((e) => e.extendedProps.kind === 'conflict')!;
    expect(c.display).toBe('background');
    expect(c.title).toBe('Conflict on deals: bf vs spring, bf wins');
  });
  it('says a tie is decided per visitor', () => {
    const ev = calendarEvents([], [{ slug: 'home', from: 'a', to: 'b', channels: [], campaigns: [{ key: 'x' }, { key: 'y' }], winner: null, reason: 'same priority' }]);
    expect(ev[0].title).toContain('tie');
  });
});

describe('onChannel', () => {
  it('keeps what reaches the channel, every-channel campaigns included', () => {
    const list = [camp({ key: 'all' }), camp({ key: 'web', channels: ['web'] }), camp({ key: 'kiosk', channels: ['kiosk'] })];
    expect(onChannel(list, 'web').map((c) => c.key)).toEqual(['all', 'web']);
    expect(onChannel(list, '')).toHaveLength(3);
  });
});
