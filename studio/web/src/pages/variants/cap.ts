// A frequency cap (caps.graphqls) as a form edits it, its conversion to
// the API's CapInput and back from what the API stores or answers. Shared
// by the variants form and the campaign form; pure, so Vitest covers it.
import type { CapInput } from '../../gql/graphql';

export const capPeriods = ['DAY', 'WEEK', 'MONTH', 'CAMPAIGN', 'LIFETIME'];

export type CapDraft = { max: string; per: string; duration: string; timeZone: string; perChannel: boolean };

export function newCap(): CapDraft {
  return { max: '3', per: 'DAY', duration: '', timeZone: '', perChannel: false };
}

// capFromStored reads a stored or queried cap ({max, per, timeZone,
// perChannel}); a per that is not a calendar period is a rolling duration.
export function capFromStored(c: unknown): CapDraft | null {
  if (!c || typeof c !== 'object') return null;
  const r = c as { max?: number; per?: string; timeZone?: string | null; perChannel?: boolean | null };
  const per = String(r.per ?? '');
  const calendar = capPeriods.includes(per);
  return { max: String(r.max ?? ''), per: calendar ? per : 'ROLLING', duration: calendar ? '' : per, timeZone: r.timeZone ?? '', perChannel: !!r.perChannel };
}

export function capInput(d: CapDraft): CapInput {
  const out: CapInput = { max: Number(d.max), per: d.per === 'ROLLING' ? d.duration.trim() : d.per };
  if (d.timeZone.trim()) out.timeZone = d.timeZone.trim();
  if (d.perChannel) out.perChannel = true;
  return out;
}

// capOut is a cap as the API answers it, back to an input (the shapes
// differ only in optional fields).
export function capOut(c: { max: number; per: string; timeZone?: string | null; perChannel?: boolean | null } | null | undefined): CapInput | null {
  if (!c) return null;
  const out: CapInput = { max: c.max, per: c.per };
  if (c.timeZone) out.timeZone = c.timeZone;
  if (c.perChannel) out.perChannel = true;
  return out;
}

export function capSummary(d: CapDraft): string {
  return `${d.max}/${d.per === 'ROLLING' ? d.duration : d.per.toLowerCase()}${d.timeZone ? ` ${d.timeZone}` : ''}${d.perChannel ? ' per channel' : ''}`;
}

// capErrors picks a BAD_USER_INPUT's cap paths ("cap.max",
// "variants.0.cap.per") into {max, per, timeZone} for the inputs.
export function capErrors(err: { graphQLErrors?: { extensions?: Record<string, unknown> }[] } | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of err?.graphQLErrors ?? []) {
    for (const f of (e.extensions?.fields ?? []) as { path: string; message: string }[]) {
      const m = /(?:^|\.)cap\.(\w+)/.exec(f.path);
      if (m) out[m[1]] = out[m[1]] ? `${out[m[1]]}; ${f.message}` : f.message;
    }
  }
  return out;
}
