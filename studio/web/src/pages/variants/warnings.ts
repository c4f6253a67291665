// Static checks on a block's (or an entry's own) variants, mirroring the
// personalization resolver's rules (personalization/doc.go): targeting is
// all-of across dimensions, any-of within one; among eligible variants a
// live campaign's come first, then higher campaign priority, then more
// specific targeting (+1 for an experiment), then higher priority, then
// list order. Pure, so the editor can warn as the marketer types.

export type VariantSpec = {
  key: string;
  segments?: string[];
  devices?: string[];
  channels?: string[];
  locales?: string[];
  campaign?: string;
  experiment?: string;
  arm?: string;
  priority?: number;
};

export type Known = {
  segments: string[];
  campaigns: Record<string, { priority: number }>;
  experiments: Record<string, { arms: string[] }>;
};

export type Warning = { variant: string; kind: 'unknown' | 'neverWins' | 'starves'; message: string };

const dims = ['segments', 'devices', 'channels', 'locales'] as const;
const list = (v: VariantSpec, d: (typeof dims)[number]) => (v[d] ?? []).filter(Boolean);

export function specificity(v: VariantSpec): number {
  return dims.filter((d) => list(v, d).length > 0).length + (v.experiment ? 1 : 0);
}

// audienceCovers: every visitor v's targeting admits, w's admits too
// (campaign aside).
function audienceCovers(w: VariantSpec, v: VariantSpec): boolean {
  for (const d of dims) {
    const wl = list(w, d);
    if (!wl.length) continue;
    const vl = list(v, d);
    if (!vl.length || !vl.every((x) => wl.includes(x))) return false;
  }
  if (w.experiment && (w.experiment !== v.experiment || w.arm !== v.arm)) return false;
  return true;
}

// outranks: when both are eligible (any campaign live), does w beat v, and why.
export function outranks(w: VariantSpec, wi: number, v: VariantSpec, vi: number, known: Known): string | null {
  const live = (x: VariantSpec) => !!x.campaign;
  if (live(w) !== live(v)) return live(w) ? `live campaign ${w.campaign} first` : null;
  const cp = (x: VariantSpec) => (x.campaign ? known.campaigns[x.campaign]?.priority ?? 0 : 0);
  if (cp(w) !== cp(v)) return cp(w) > cp(v) ? `campaign ${w.campaign} has a higher priority` : null;
  if (specificity(w) !== specificity(v)) return specificity(w) > specificity(v) ? 'more specific targeting' : null;
  const p = (x: VariantSpec) => x.priority ?? 0;
  if (p(w) !== p(v)) return p(w) > p(v) ? 'higher priority' : null;
  return wi < vi ? 'earlier in the list' : null;
}

// possible: a variant naming an unknown campaign or experiment is never eligible.
const possible = (w: VariantSpec, known: Known) =>
  (!w.campaign || !!known.campaigns[w.campaign]) && (!w.experiment || !!known.experiments[w.experiment]?.arms.includes(w.arm ?? ''));

export function variantWarnings(variants: VariantSpec[], known: Known): Warning[] {
  const out: Warning[] = [];
  variants.forEach((v, vi) => {
    for (const s of list(v, 'segments')) {
      if (!known.segments.includes(s)) out.push({ variant: v.key, kind: 'unknown', message: `segment "${s}" is not defined: only visitors who send it explicitly match` });
    }
    if (v.campaign && !known.campaigns[v.campaign]) out.push({ variant: v.key, kind: 'unknown', message: `campaign "${v.campaign}" does not exist: the variant is never eligible` });
    if (v.experiment) {
      const x = known.experiments[v.experiment];
      if (!x) out.push({ variant: v.key, kind: 'unknown', message: `experiment "${v.experiment}" does not exist: the variant is never eligible` });
      else if (!v.arm || !x.arms.includes(v.arm)) out.push({ variant: v.key, kind: 'unknown', message: `arm "${v.arm ?? ''}" is not an arm of ${v.experiment} (${x.arms.join(', ')})` });
    }
    variants.forEach((w, wi) => {
      if (wi === vi || !possible(w, known)) return;
      // Never wins: w is eligible whenever v is (same or no campaign) and beats it.
      const sameWindow = !w.campaign || w.campaign === v.campaign;
      if (sameWindow && audienceCovers(w, v)) {
        const why = outranks(w, wi, v, vi, known);
        if (why) out.push({ variant: v.key, kind: 'neverWins', message: `can never win: "${w.key}" matches every visitor it does and wins (${why})` });
        return;
      }
      // Starves an experiment: a campaign variant that covers the arm's
      // audience takes its visitors while the campaign is live.
      if (v.experiment && w.experiment !== v.experiment && audienceCovers({ ...w, experiment: undefined, arm: undefined }, v)) {
        const why = outranks(w, wi, v, vi, known);
        if (why) out.push({ variant: v.key, kind: 'starves', message: `starves experiment ${v.experiment} (arm ${v.arm ?? ''}): "${w.key}" wins for its visitors (${why})${w.campaign ? ` while ${w.campaign} is live` : ''}` });
      }
    });
  });
  return out;
}
