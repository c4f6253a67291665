// The preview's made-up history: rows an editor types (an event's name,
// how long ago, an optional value) and the devices the person used,
// turned into ExperienceContext.profile (a SimulatedProfile) so that
// behavioural segments and explainDecision can be tried without traffic.
// Rows without a name are ignored; the server checks the rest and names
// the field it refuses (context.profile.events.N.ago).
export type HistoryRow = { name: string; ago: string; value: string };

export type SimulatedProfile = {
  events: { name: string; ago: string; value?: number }[];
  devices?: string[];
};

export function simulatedProfile(rows: HistoryRow[], devices: string): SimulatedProfile | null {
  const events = rows
    .filter((r) => r.name.trim())
    .map((r) => {
      const e: SimulatedProfile['events'][number] = { name: r.name.trim(), ago: r.ago.trim() || '0s' };
      const v = r.value.trim();
      if (v !== '') e.value = Number(v);
      return e;
    });
  const devs = devices.split(',').map((d) => d.trim()).filter(Boolean);
  if (!events.length && !devs.length) return null;
  return devs.length ? { events, devices: devs } : { events };
}
