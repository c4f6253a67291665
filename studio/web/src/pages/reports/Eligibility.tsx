// The eligibility report of an experiment over the last 30 days, in words:
// per block, how many visitors reached it but were taken by a
// higher-precedence variant (a segment, device/channel or campaign variant)
// and so were never in the test.
import { useMemo } from 'react';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { ErrorNote } from '../../ui/Notes';
import { int, pct, takenBy, takenShare } from './format';
import { EligibilityDoc } from './queries';

export function Eligibility({ expKey }: { expKey: string }) {
  const { t, lang } = useI18n();
  // The API reads at most 31 days of raw decision records.
  const range = useMemo(() => ({ from: new Date(Date.now() - 30 * 864e5).toISOString(), to: new Date(Date.now() + 36e5).toISOString() }), []);
  const [{ data, error }] = useQuery({ query: EligibilityDoc, variables: { key: expKey, ...range } });
  const e = data?.experimentEligibility;
  const taken = e?.blocks.filter((b) => b.taken > 0) ?? [];
  return (
    <div className="card stack" id="eligibility">
      <h3 style={{ margin: 0 }}>{t('rep.elig.title')}</h3>
      <ErrorNote error={error} />
      {e && !e.blocks.length && <p className="muted">{t('rep.elig.none')}</p>}
      {e && e.blocks.length > 0 && !taken.length && <p className="ok-box">{t('rep.elig.allIn', { scanned: int(lang, e.scanned) })}</p>}
      {taken.map((b) => (
        <div className="alert-box" key={b.entryId + b.blockId} data-block={b.blockId}>
          <p><strong>{t('rep.elig.taken', { count: int(lang, b.taken), block: b.blockId, share: pct(lang, takenShare(b), 0) })}</strong></p>
          <p>{takenBy(b).map((x) => t(`rep.elig.by.${x.kind}`, { count: int(lang, x.count) })).join('; ')}.</p>
        </div>
      ))}
      {e && <p className="muted">{t('rep.elig.scanned', { scanned: int(lang, e.scanned) })}</p>}
    </div>
  );
}
