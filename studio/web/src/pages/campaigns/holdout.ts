// A campaign's holdout share (holdout.graphqls) as the campaign form edits
// it: a percentage typed by an editor, 0 to 50, to the API's share 0 to
// 0.5 and back. Pure, so Vitest covers it.
export const maxHoldoutPercent = 50;

// holdoutShare reads a typed percentage: '' is 0 (no holdout), '12.5' is
// 0.125; anything else (a negative, more than 50, not a number) is null.
export function holdoutShare(text: string): number | null {
  const s = text.trim().replace(',', '.');
  if (s === '') return 0;
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const pct = Number(s);
  if (!(pct >= 0 && pct <= maxHoldoutPercent)) return null;
  return Math.round(pct * 1000) / 100000;
}

// holdoutPercent is a share as the form shows it: 0.125 → '12.5'.
export function holdoutPercent(share: number | null | undefined): string {
  if (!share) return '';
  return String(Math.round(share * 100000) / 1000);
}
