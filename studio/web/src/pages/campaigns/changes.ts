// What launching or stopping a campaign changes, entry by entry: every
// entry it owns a variant in and every entry its release publishes (from
// the campaign itself, for any page, not a fixed list), each with the
// server's experienceDiff between now and the campaign's start (launch) or
// end (stop) when the campaign has a window.
import type { Client } from 'urql';
import { ExperienceDiffDoc, VariantTargetingDoc } from './queries';
import { draftBlocks, fromStored, type Stored } from '../variants/stored';

type Owned = { entryId: string; type: string; slug: string; locale: string; blockId?: string | null; variant: string; published: boolean };
type Released = { entryId: string; type: string; slug: string; locale: string; scheduledVersion?: number | null };
export type ChangeSource = { variants: Owned[]; release: Released[]; startsAt?: string | null; endsAt?: string | null; status: string };

export type EntryChange = {
  key: string; entryId: string; type: string; slug: string; locale: string; owned: Owned[];
  variants: string[]; released: boolean; diff: string[];
};

export function entriesChanged(c: ChangeSource): EntryChange[] {
  const by = new Map<string, EntryChange>();
  const get = (type: string, slug: string, locale: string) => {
    const k = `${type}/${slug}/${locale}`;
    if (!by.has(k)) by.set(k, { key: k, entryId: '', type, slug, locale, owned: [], variants: [], released: false, diff: [] });
    return by.get(k)!;
  };
  for (const v of c.variants) {
    const e = get(v.type, v.slug, v.locale);
    e.entryId = v.entryId;
    e.owned.push(v);
    e.variants.push(`${v.variant}${v.blockId ? ` (block ${v.blockId})` : ' (entry)'}${v.published ? '' : ' — draft only'}`);
  }
  for (const r of c.release) { const e = get(r.type, r.slug, r.locale); e.released = true; e.entryId ||= r.entryId; }
  return [...by.values()].sort((a, b) => a.key.localeCompare(b.key));
}

// audience is a visitor context one of the campaign's variants targets
// (its first segment set, device, channel and locale), so the diff shows
// what that audience sees change, not only an anonymous visitor.
export function audience(v: Stored | undefined, locale: string): Record<string, unknown> {
  if (!v) return { locale };
  return {
    locale: v.locales?.[0] ?? locale, segments: v.segments ?? [],
    ...(v.devices?.[0] ? { device: v.devices[0] } : {}), ...(v.channels?.[0] ? { channel: v.channels[0] } : {}),
  };
}

export async function withDiffs(client: Client, c: ChangeSource, action: 'launch' | 'stop'): Promise<EntryChange[]> {
  const list = entriesChanged(c);
  const now = new Date().toISOString();
  const to = action === 'launch' ? c.startsAt : c.endsAt;
  if (!to || to <= now) return list;
  await Promise.all(list.map(async (e) => {
    // The stored variants, for their targeting: one diff per audience.
    const contexts: { label: string; ctx: Record<string, unknown> }[] = [{ label: 'anyone', ctx: { locale: e.locale } }];
    if (e.owned.length && e.entryId) {
      const d = await client.query(VariantTargetingDoc, { id: e.entryId, locale: e.locale }, { requestPolicy: 'network-only' }).toPromise();
      const draft = d.data?.draft;
      if (draft) {
        const stored = [...fromStored(draft.variants), ...draftBlocks(draft.fields).flatMap((b) => b.variants)];
        for (const o of e.owned) {
          const v = stored.find((s) => s.key === o.variant);
          contexts.push({ label: o.variant, ctx: audience(v, e.locale) });
        }
      }
    }
    for (const { label, ctx } of contexts) {
      const res = await client.query(ExperienceDiffDoc, { slug: e.slug, type: e.type, locale: e.locale, context: ctx, from: now, to }, { requestPolicy: 'network-only' }).toPromise();
      const diff = res.data?.experienceDiff;
      if (!diff) continue;
      for (const ch of diff.changes) {
        const line = `${label === 'anyone' ? '' : `for ${label}'s audience: `}${ch.blockId ?? 'entry'} ${ch.kind.toLowerCase()}: ${ch.before?.decision.variant ?? '—'} → ${ch.after?.decision.variant ?? '—'}${ch.fields.length ? ` (${ch.fields.join(', ')})` : ''}`;
        if (!e.diff.includes(line)) e.diff.push(line);
      }
    }
  }));
  return list;
}
