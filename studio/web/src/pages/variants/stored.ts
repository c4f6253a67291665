// Reading variants as a draft stores them ({key, targeting: {segments,
// devices, channels, locales}, campaign, experiment, arm, priority,
// fields, cap}) into the flat shape the warnings and the form use, and finding
// a draft's blocks (items with id and type in its array fields).
import type { VariantInput } from '../../gql/graphql';
import { capFromStored, capInput, type CapDraft } from './cap';
import type { VariantSpec } from './warnings';

export type Stored = VariantSpec & { fields?: Record<string, unknown>; cap?: CapDraft | null };
export type DraftBlock = { id: string; type: string; fields: Record<string, unknown>; variants: Stored[] };

export function fromStored(raw: unknown): Stored[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((r: any) => ({
    key: String(r.key ?? ''),
    segments: r.targeting?.segments ?? [], devices: r.targeting?.devices ?? [],
    channels: r.targeting?.channels ?? [], locales: r.targeting?.locales ?? [],
    campaign: r.campaign || undefined, experiment: r.experiment || undefined, arm: r.arm || undefined,
    priority: r.priority ?? 0, fields: r.fields ?? {}, cap: capFromStored(r.cap),
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

// VariantForm is what the variants form holds: lists as typed text, the
// overrides as JSON text, and the cap; cap undefined means "not loaded
// into the form", and then a variant of the same key keeps its cap.
export type VariantForm = {
  key: string; segments: string[]; devices: string; channels: string; locales: string;
  campaign: string; experiment: string; arm: string; priority: number; fields: string;
  cap?: CapDraft | null;
};

const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

export function formOf(v: Stored): VariantForm {
  return {
    key: v.key, segments: v.segments ?? [], devices: (v.devices ?? []).join(', '), channels: (v.channels ?? []).join(', '),
    locales: (v.locales ?? []).join(', '), campaign: v.campaign ?? '', experiment: v.experiment ?? '', arm: v.arm ?? '',
    priority: v.priority ?? 0, fields: JSON.stringify(v.fields ?? {}, null, 2), cap: v.cap ?? null,
  };
}

// variantInput is the upsertVariant input for the form. upsertVariant
// replaces the variant of that key whole, so a setting the form did not
// load (its cap) is carried over from the existing variant rather than
// dropped by, say, a change of priority.
export function variantInput(form: VariantForm, fields: Record<string, unknown>, existing: Stored[]): VariantInput {
  const input: VariantInput = {
    key: form.key, segments: form.segments, devices: split(form.devices), channels: split(form.channels), locales: split(form.locales),
    campaign: form.campaign || null, experiment: form.experiment || null, arm: form.arm || null, priority: form.priority, fields,
  };
  const cap = form.cap === undefined ? existing.find((v) => v.key === form.key)?.cap : form.cap;
  if (cap) input.cap = capInput(cap);
  return input;
}
