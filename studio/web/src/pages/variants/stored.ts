// Reading variants as a draft stores them ({key, targeting: {segments,
// devices, channels, locales}, campaign, experiment, arm, priority,
// fields}) into the flat shape the warnings and the form use, and finding
// a draft's blocks (items with id and type in its array fields).
import type { VariantSpec } from './warnings';

export type Stored = VariantSpec & { fields?: Record<string, unknown> };
export type DraftBlock = { id: string; type: string; fields: Record<string, unknown>; variants: Stored[] };

export function fromStored(raw: unknown): Stored[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((r: any) => ({
    key: String(r.key ?? ''),
    segments: r.targeting?.segments ?? [], devices: r.targeting?.devices ?? [],
    channels: r.targeting?.channels ?? [], locales: r.targeting?.locales ?? [],
    campaign: r.campaign || undefined, experiment: r.experiment || undefined, arm: r.arm || undefined,
    priority: r.priority ?? 0, fields: r.fields ?? {},
  }));
}

export function draftBlocks(fields: Record<string, unknown>): DraftBlock[] {
  const out: DraftBlock[] = [];
  for (const v of Object.values(fields ?? {})) {
    if (!Array.isArray(v)) continue;
    for (const b of v as any[]) {
      if (b && typeof b === 'object' && typeof b.id === 'string' && typeof b.type === 'string') {
        out.push({ id: b.id, type: b.type, fields: b.fields ?? {}, variants: fromStored(b.variants) });
      }
    }
  }
  return out;
}
