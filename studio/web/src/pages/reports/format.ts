// Numbers as the report pages print them, and the plain-words warnings
// (sample ratio mismatch, eligibility). Pure, so they are unit-tested; the
// pages only put the results into their language's sentences.

export type Lang = 'en' | 'ro';

const locale = (lang: Lang) => (lang === 'ro' ? 'ro-RO' : 'en-GB');

// num prints x with at most digits decimals in the language's convention.
export function num(lang: Lang, x: number, digits = 2): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(x);
}

// int prints a count with the language's thousands separator.
export function int(lang: Lang, x: number): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0, useGrouping: true }).format(x);
}

// pct prints a share (0.532) as a percentage ("53.2 %"), with a space
// before the sign as both languages' style guides write it.
export function pct(lang: Lang, share: number, digits = 1): string {
  return `${num(lang, share * 100, digits)} %`;
}

// signedPct prints a relative lift with its sign: "+12.3 %", "−4 %".
export function signedPct(lang: Lang, share: number, digits = 1): string {
  const s = pct(lang, Math.abs(share), digits);
  if (Math.abs(share * 100) < 0.5 * 10 ** -digits) return s;
  return share > 0 ? `+${s}` : `−${s}`;
}

// pValue prints a p-value the way papers do: three decimals, "< 0.001"
// below that.
export function pValue(lang: Lang, p: number): string {
  return p < 0.001 ? `< ${num(lang, 0.001, 3)}` : num(lang, p, 3);
}

// rate prints an arm's rate: a percentage for a conversion metric, the
// mean per visitor (revenue, counts) otherwise.
export function rate(lang: Lang, kind: string, x: number): string {
  return kind === 'CONVERSION' ? pct(lang, x, 2) : num(lang, x, 2);
}

// pctApart prints two shares with as few decimals (0, 1 or 2) as it takes
// for them to read differently: "53 %" and "50 %", "50.2 %" and "50 %".
export function pctApart(lang: Lang, a: number, b: number): [string, string] {
  for (const d of [0, 1, 2]) {
    const x = pct(lang, a, d);
    const y = pct(lang, b, d);
    if (x !== y) return [x, y];
  }
  return [pct(lang, a, 3), pct(lang, b, 3)];
}

export type SRMArm = { arm: string; observed: string; expected: string };

// srmWorst names the arm whose share of visitors is furthest from its
// configured share (on a tie, the one that got more than it should), with
// both shares formatted to read differently; null without arms.
export function srmWorst(lang: Lang, arms: string[], expected: number[], observed: number[]): SRMArm | null {
  let best = -1;
  let gap = -1;
  arms.forEach((_, i) => {
    const g = Math.abs((observed[i] ?? 0) - (expected[i] ?? 0));
    const over = (observed[i] ?? 0) > (expected[i] ?? 0);
    if (g > gap + 1e-12 || (Math.abs(g - gap) <= 1e-12 && over)) { best = i; gap = g; }
  });
  if (best < 0) return null;
  const [o, e] = pctApart(lang, observed[best] ?? 0, expected[best] ?? 0);
  return { arm: arms[best], observed: o, expected: e };
}

export type EligibilityBlock = { entryId: string; blockId: string; exposed: number; taken: number; bySegment: number; byContext: number; byCampaign: number };
export type TakenBy = 'segment' | 'context' | 'campaign';

// takenBy lists, largest first, which kinds of variant took a block's
// visitors before the experiment could, and how many each.
export function takenBy(b: EligibilityBlock): { kind: TakenBy; count: number }[] {
  const all: { kind: TakenBy; count: number }[] = [
    { kind: 'segment', count: b.bySegment }, { kind: 'context', count: b.byContext }, { kind: 'campaign', count: b.byCampaign },
  ];
  return all.filter((x) => x.count > 0).sort((x, y) => y.count - x.count);
}

// takenShare is the share of the visitors who reached the block that the
// experiment lost: taken / (exposed + taken).
export function takenShare(b: EligibilityBlock): number {
  const reached = b.exposed + b.taken;
  return reached ? b.taken / reached : 0;
}

// duration prints seconds as the largest sensible units: "45 s", "12 min",
// "3 h 20 min", "2.5 d".
export function duration(lang: Lang, seconds: number): string {
  if (seconds < 60) return `${num(lang, seconds, 0)} s`;
  if (seconds < 3600) return `${num(lang, seconds / 60, 0)} min`;
  if (seconds < 86400) {
    const h = Math.floor(seconds / 3600);
    const m = Math.round((seconds - h * 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${num(lang, seconds / 86400, 1)} d`;
}
