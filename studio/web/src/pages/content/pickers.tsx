// Pickers for the fields that point elsewhere: a reference picks an entry
// of an allowed type; an asset field picks from the library (thumbnails,
// filter by tag).
import { useState } from 'react';
import { useQuery } from '../../api/query';
import { doc, graphql } from '../../api/doc';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/Loading';
import { Empty, ErrorNote } from '../../ui/Notes';
import { PickAssetsDoc, PickEntriesDoc } from './queries';

export function ReferencePicker({ value, onChange, allowedTypes, readOnly, label }: {
  value: string | null; onChange: (v: string | null) => void; allowedTypes: string[]; readOnly?: boolean; label: string;
}) {
  const { t } = useI18n();
  const [{ data, fetching, error }] = useQuery({ query: PickEntriesDoc, variables: { type: allowedTypes.length === 1 ? allowedTypes[0] : null } });
  const options = (data?.drafts ?? []).filter((d) => !allowedTypes.length || allowedTypes.includes(d.type));
  return (
    <div className="row">
      {fetching && !data && <Loading />}
      <ErrorNote error={error} />
      <label>{t('ref.pick')}
        <select aria-label={label} value={value ?? ''} disabled={readOnly} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">{t('common.none')}</option>
          {value && !options.some((o) => o.id === value) && <option value={value}>{value}</option>}
          {options.map((o) => <option key={o.id} value={o.id}>{o.slug} ({o.type})</option>)}
        </select>
      </label>
    </div>
  );
}

const AssetDoc = doc(graphql(`
  query PickedAsset($id: ID!) { asset(id: $id) { id filename thumb: url(device: "watch") } }
`));

export function AssetPicker({ value, onChange, readOnly, label }: { value: string | null; onChange: (v: string | null) => void; readOnly?: boolean; label: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [picked] = useQuery({ query: AssetDoc, variables: { id: value ?? '' }, pause: !value });
  const asset = value ? picked.data?.asset : null;
  return (
    <div className="stack">
      <div className="row">
        {asset && <img src={asset.thumb} alt="" width={80} height={60} className="thumb" style={{ width: 80 }} />}
        <span data-asset={value ?? ''}>{asset ? asset.filename : value ?? t('common.none')}</span>
        <button type="button" disabled={readOnly} aria-expanded={open} onClick={() => setOpen(!open)} aria-label={`${t('asset.pick')}: ${label}`}>{t('asset.pick')}</button>
        {value && <button type="button" disabled={readOnly} onClick={() => onChange(null)}>{t('ref.clear')}</button>}
      </div>
      {open && <AssetGrid onPick={(id) => { onChange(id); setOpen(false); }} />}
    </div>
  );
}

function AssetGrid({ onPick }: { onPick: (id: string) => void }) {
  const { t } = useI18n();
  const [tag, setTag] = useState('');
  const [{ data, fetching, error }] = useQuery({ query: PickAssetsDoc, variables: { tag: tag || null } });
  return (
    <div className="card stack">
      <label>{t('assets.tag')}<input type="search" value={tag} onChange={(e) => setTag(e.target.value.trim())} /></label>
      {fetching && !data && <Loading />}
      <ErrorNote error={error} />
      {data && !data.assets.nodes.length && <Empty>{t('assets.empty')}</Empty>}
      <ul className="grid list">
        {data?.assets.nodes.map((a) => (
          <li key={a.id}>
            <button type="button" className="link" onClick={() => onPick(a.id)} aria-label={`${t('asset.pick')}: ${a.filename}`}>
              {a.contentType.startsWith('image/') && <img src={a.thumb} alt="" className="thumb" />}
              {a.filename}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
