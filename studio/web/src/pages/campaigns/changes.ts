// What launching or stopping a campaign changes, entry by entry: every
// entry it owns a variant in and every entry its release publishes (from
// the campaign itself, for any page, not a fixed list), each with the
// server's experienceDiff between now and the campaign's start (launch) or
// end (stop) when the campaign has a window.
import type { Client } from 'urql';
import { ExperienceDiffDoc } from './queries';

type Owned = { entryId: string; type: string; slug: string; locale: string; blockId?: string | null; variant: string; published: boolean };
type Released = { entryId: string; type: string; slug: string; locale: string; scheduledVersion?: number | null };
export type ChangeSource = { variants: Owned[]; release: Released[]; startsAt?: string | null; endsAt?: string | null; status: string };

export type EntryChange = {
  key: string; type: string; slug: string; locale: string;
  variants: string[]; released: boolean; diff: string[];
};

export function entriesChanged(c: ChangeSource): EntryChange[] {
  const by = new Map<string, EntryChange>();
  const get = (type: string, slug: string, locale: string) => {
    const k = `${type}/${slug}/${locale}`;
    if (!by.has(k)) by.set(k, { key: k, type, slug, locale, variants: [], released: false, diff: [] });
    return by.get(k)!;
  };
  for (const v of c.variants) {
    get(v.type, v.slug, v.locale).variants.push(`${v.variant}${v.blockId ? ` (block ${v.blockId})` : ' (entry)'}${v.published ? '' : ' — draft only'}`);
  }
  for (const r of c.release) get(r.type, r.slug, r.locale).released = true;
  return [...by.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export async function withDiffs(client: Client, c: ChangeSource, action: 'launch' | 'stop'): Promise<EntryChange[]> {
  const list = entriesChanged(c);
  const now = new Date().toISOString();
  const to = action === 'launch' ? c.startsAt : c.endsAt;
  if (!to || to <= now) return list;
  await Promise.all(list.map(async (e) => {
    const res = await client.query(ExperienceDiffDoc, { slug: e.slug, type: e.type, locale: e.locale, from: now, to }, { requestPolicy: 'network-only' }).toPromise();
    const d = res.data?.experienceDiff;
    if (!d) return;
    e.diff = d.changes.map((ch) => `${ch.blockId ?? 'entry'} ${ch.kind.toLowerCase()}: ${ch.before?.decision.variant ?? '—'} → ${ch.after?.decision.variant ?? '—'}${ch.fields.length ? ` (${ch.fields.join(', ')})` : ''}`);
  }));
  return list;
}
