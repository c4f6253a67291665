// CapEditor edits an optional frequency cap (cap.ts): off, or max
// exposures per calendar period or rolling duration, in a time zone,
// counted across channels or per channel. Errors from the server (paths
// ending in cap.max, cap.per, cap.timeZone) are shown beside the inputs.
import { useI18n } from '../../i18n/i18n';
import { capPeriods, newCap, type CapDraft } from './cap';

// The browser's IANA zones (no Luxon: the variants page does not need it).
const zones = (): string[] => (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];

export function CapEditor({ cap, onChange, errors = {} }: { cap: CapDraft | null; onChange: (c: CapDraft | null) => void; errors?: Record<string, string> }) {
  const { t } = useI18n();
  const patch = (p: Partial<CapDraft>) => cap && onChange({ ...cap, ...p });
  const err = (k: string) => errors[k] ? <span className="error" role="alert" data-error={k}>{errors[k]}</span> : null;
  return (
    <fieldset className="row" data-cap>
      <legend>{t('cap.title')}</legend>
      <label className="check"><input type="checkbox" name="capOn" checked={!!cap} onChange={(e) => onChange(e.target.checked ? newCap() : null)} />{t('cap.enable')}</label>
      {cap ? <>
        <label>{t('cap.max')}<input name="capMax" type="number" min={1} max={1000} required value={cap.max} onChange={(e) => patch({ max: e.target.value })} style={{ width: 80 }} />{err('max')}</label>
        <label>{t('cap.per')}<select name="capPer" value={cap.per} onChange={(e) => patch({ per: e.target.value })}>
          {capPeriods.map((p) => <option key={p} value={p}>{p.toLowerCase()}</option>)}
          <option value="ROLLING">{t('cap.rolling')}</option>
        </select>{cap.per !== 'ROLLING' && err('per')}</label>
        {cap.per === 'ROLLING' && <label>{t('cap.duration')}<input name="capDuration" required placeholder="168h" value={cap.duration} onChange={(e) => patch({ duration: e.target.value })} />{err('per')}</label>}
        <label>{t('cap.zone')}<select name="capZone" value={cap.timeZone} onChange={(e) => patch({ timeZone: e.target.value })}>
          <option value="">UTC</option>
          {[...new Set([...zones(), ...(cap.timeZone ? [cap.timeZone] : [])])].map((z) => <option key={z} value={z}>{z}</option>)}
        </select>{err('timeZone')}</label>
        <label className="check"><input type="checkbox" name="capPerChannel" checked={cap.perChannel} onChange={(e) => patch({ perChannel: e.target.checked })} />{t('cap.perChannel')}</label>
      </> : <span className="muted">{t('cap.none')}</span>}
    </fieldset>
  );
}
