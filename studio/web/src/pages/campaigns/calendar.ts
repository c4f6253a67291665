// What the campaign calendar shows, computed from the API's answers: one
// event per campaign window (cut at its stop), one per release publish at
// the start, and conflicts as background bands naming the winner. Pure, so
// it is tested without a browser (FullCalendar only draws the result).

export type CalCampaign = {
  id: string; key: string; name: string; status: string; timeZone: string; priority: number;
  channels: string[]; startsAt?: string | null; endsAt?: string | null; stoppedAt?: string | null; releaseSize: number;
};

export type CalConflict = {
  slug: string; blockId?: string | null; from: string; to: string; channels: string[];
  campaigns: { key: string }[]; winner?: { key: string } | null; reason: string;
};

export type CalEvent = {
  id: string; title: string; start: string; end?: string; allDay?: boolean;
  display?: 'auto' | 'background'; classNames: string[];
  extendedProps: { campaign?: string; kind: 'window' | 'release' | 'conflict'; detail: string };
};

const channelsText = (ch: string[]) => (ch.length ? ch.join(', ') : 'every channel');

// onChannel: what a channel sees (a campaign or conflict with no channels
// reaches every channel); '' keeps everything.
export function onChannel<T extends { channels: string[] }>(list: T[], channel: string): T[] {
  return channel ? list.filter((x) => !x.channels.length || x.channels.includes(channel)) : list;
}

export function calendarEvents(campaigns: CalCampaign[], conflicts: CalConflict[]): CalEvent[] {
  const out: CalEvent[] = [];
  const losing = new Set<string>();
  const winning = new Set<string>();
  for (const x of conflicts) {
    for (const c of x.campaigns) (x.winner?.key === c.key ? winning : losing).add(c.key);
  }
  for (const c of campaigns) {
    if (!c.startsAt || !c.endsAt) continue; // a draft without a window is in the list, not the calendar
    const end = c.stoppedAt && c.stoppedAt < c.endsAt ? c.stoppedAt : c.endsAt;
    const cls = ['cal-campaign', `cal-${c.status.toLowerCase()}`];
    if (losing.has(c.key)) cls.push('cal-loses');
    if (winning.has(c.key)) cls.push('cal-wins');
    out.push({
      id: `w-${c.id}`, title: `${c.name} · ${c.status}`, start: c.startsAt, end: end > c.startsAt ? end : c.startsAt,
      classNames: cls,
      extendedProps: { campaign: c.key, kind: 'window', detail: `${c.key} on ${channelsText(c.channels)}, priority ${c.priority}, ${c.timeZone}` },
    });
    if (c.releaseSize > 0) {
      out.push({
        id: `r-${c.id}`, title: `${c.name}: publishes ${c.releaseSize}`, start: c.startsAt,
        classNames: ['cal-release'],
        extendedProps: { campaign: c.key, kind: 'release', detail: `release of ${c.key}: ${c.releaseSize} entries published at the start` },
      });
    }
  }
  conflicts.forEach((x, i) => {
    const who = x.campaigns.map((c) => c.key).join(' vs ');
    const win = x.winner ? `${x.winner.key} wins` : 'tie: decided per visitor';
    out.push({
      id: `c-${i}`, title: `Conflict on ${x.slug}: ${who}, ${win}`, start: x.from, end: x.to, display: 'background',
      classNames: ['cal-conflict'],
      extendedProps: { kind: 'conflict', detail: `${who} on ${x.slug}${x.blockId ? ` block ${x.blockId}` : ''} (${channelsText(x.channels)}): ${win} — ${x.reason}` },
    });
  });
  return out;
}
