// One field of an entry or block, with the control its kind needs: text,
// number, checkbox, enum select, date-time in a chosen IANA zone, rich text
// (TipTap), a reference picker, an asset picker, the block composer, or
// JSON. List fields repeat the control with add / remove.
import { lazy, Suspense, useId, useState } from 'react';
import { DateTime } from 'luxon';
import { useI18n } from '../../i18n/i18n';
import type { Def } from '../model/fields';
import { Loading } from '../../ui/Loading';
import { BlockComposer } from './BlockComposer';
import { AssetPicker, ReferencePicker } from './pickers';
import type { RichNode } from './richtext';

const RichTextEditor = lazy(() => import('./RichTextEditor'));

export type ControlProps = { def: Def; value: unknown; onChange: (v: unknown) => void; readOnly?: boolean; placeholder?: string };

export function FieldControl(props: ControlProps) {
  const { def } = props;
  const { t } = useI18n();
  const id = useId();
  const label = def.name || def.key;
  const hint = [def.description, def.required ? t('field.required') : '', def.localized ? t('field.localized') : ''].filter(Boolean).join(' · ');
  const grouped = def.kind === 'RICH_TEXT' || def.kind === 'BLOCKS' || def.list || def.kind === 'DATE_TIME' || def.kind === 'ASSET' || def.kind === 'REFERENCE';
  if (grouped) {
    return (
      <fieldset className="field-row" data-field={def.key}>
        <legend>{label} <span className="muted">{def.kind.toLowerCase()}{hint && ` · ${hint}`}</span></legend>
        {def.list && def.kind !== 'BLOCKS' ? <ListControl {...props} label={label} /> : <Single {...props} id={id} label={label} />}
      </fieldset>
    );
  }
  return (
    <div className="field-row" data-field={def.key}>
      <label htmlFor={id}>{label} <span className="muted">{def.kind.toLowerCase()}{hint && ` · ${hint}`}</span></label>
      <Single {...props} id={id} label={label} />
    </div>
  );
}

function ListControl(props: ControlProps & { label: string }) {
  const { t } = useI18n();
  const items = Array.isArray(props.value) ? props.value : [];
  const single = { ...props.def, list: false };
  return (
    <div className="stack">
      {items.map((it, i) => (
        <div className="row" key={i}>
          <Single {...props} def={single} value={it} label={`${props.label} ${i + 1}`}
            onChange={(v) => props.onChange(items.map((x, j) => (j === i ? v : x)))} />
          <button type="button" disabled={props.readOnly} onClick={() => props.onChange(items.filter((_, j) => j !== i))}
            aria-label={`${t('common.remove')} ${props.label} ${i + 1}`}>{t('common.remove')}</button>
        </div>
      ))}
      <div><button type="button" disabled={props.readOnly} onClick={() => props.onChange([...items, null])}>{t('common.add')}</button></div>
    </div>
  );
}

function Single({ def, value, onChange, readOnly, placeholder, id, label }: ControlProps & { id?: string; label: string }) {
  const { t } = useI18n();
  switch (def.kind) {
    case 'TEXT':
      return (def.max ?? 0) > 200
        ? <textarea id={id} aria-label={id ? undefined : label} value={(value as string) ?? ''} placeholder={placeholder} readOnly={readOnly} required={def.required} maxLength={def.max ?? undefined} onChange={(e) => onChange(e.target.value)} />
        : <input id={id} aria-label={id ? undefined : label} value={(value as string) ?? ''} placeholder={placeholder} readOnly={readOnly} required={def.required} maxLength={def.max ?? undefined} pattern={def.pattern ?? undefined} onChange={(e) => onChange(e.target.value)} />;
    case 'NUMBER':
      return <input id={id} aria-label={id ? undefined : label} type="number" value={value == null ? '' : String(value)} placeholder={placeholder} readOnly={readOnly} min={def.min ?? undefined} max={def.max ?? undefined}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))} />;
    case 'BOOLEAN':
      return <input id={id} aria-label={id ? undefined : label} type="checkbox" checked={value === true} disabled={readOnly} onChange={(e) => onChange(e.target.checked)} />;
    case 'ENUM':
      return (
        <select id={id} aria-label={id ? undefined : label} value={(value as string) ?? ''} disabled={readOnly} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">{placeholder ? `${placeholder}` : t('common.none')}</option>
          {(def.values ?? []).map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      );
    case 'DATE_TIME':
      return <DateTimeControl value={value as string | null} onChange={onChange} readOnly={readOnly} label={label} />;
    case 'RICH_TEXT':
      return <Suspense fallback={<Loading />}><RichTextEditor id={id} label={label} value={value as RichNode | null} onChange={onChange} readOnly={readOnly} /></Suspense>;
    case 'REFERENCE':
      return <ReferencePicker value={value as string | null} onChange={onChange} allowedTypes={def.allowedTypes ?? []} readOnly={readOnly} label={label} />;
    case 'ASSET':
      return <AssetPicker value={value as string | null} onChange={onChange} readOnly={readOnly} label={label} />;
    case 'BLOCKS':
      return <BlockComposer value={Array.isArray(value) ? value : []} onChange={onChange} allowedTypes={def.allowedTypes ?? []} readOnly={readOnly} label={label} />;
    case 'JSON':
      return <JsonControl id={id} value={value} onChange={onChange} readOnly={readOnly} label={label} />;
  }
}

// DateTimeControl edits an instant as wall-clock time in a chosen zone
// (the browser's by default) and shows the UTC instant it stores.
export function DateTimeControl({ value, onChange, readOnly, label }: { value: string | null; onChange: (v: string | null) => void; readOnly?: boolean; label: string }) {
  const { t } = useI18n();
  const [zone, setZone] = useState(() => DateTime.local().zoneName ?? 'UTC');
  const zones = (Intl as any).supportedValuesOf?.('timeZone') as string[] | undefined ?? [zone, 'UTC'];
  const local = value ? DateTime.fromISO(value, { zone: 'utc' }).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") : '';
  return (
    <div className="row">
      <label>{label}
        <input type="datetime-local" value={local} readOnly={readOnly}
          onChange={(e) => onChange(e.target.value ? DateTime.fromISO(e.target.value, { zone }).toUTC().toISO({ suppressMilliseconds: true }) : null)} />
      </label>
      <label>{t('content.zone')}
        <select value={zone} onChange={(e) => setZone(e.target.value)}>
          {[...new Set([zone, 'UTC', ...zones])].map((z) => <option key={z} value={z}>{z}</option>)}
        </select>
      </label>
      {value && <span className="muted">{t('content.utc', { instant: value })}</span>}
    </div>
  );
}

function JsonControl({ id, value, onChange, readOnly, label }: { id?: string; value: unknown; onChange: (v: unknown) => void; readOnly?: boolean; label: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => (value === undefined || value === null ? '' : JSON.stringify(value, null, 2)));
  const [error, setError] = useState('');
  return (
    <>
      <textarea id={id} aria-label={id ? undefined : label} rows={4} value={text} readOnly={readOnly} aria-invalid={!!error}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) { setError(''); onChange(null); return; }
          try { onChange(JSON.parse(e.target.value)); setError(''); } catch (err) { setError(t('content.invalidJson', { message: (err as Error).message })); }
        }} />
      {error && <span className="error">{error}</span>}
    </>
  );
}
