// The field builder: one row per field with every setting the field's kind
// takes (required, localized, unique, list, min/max, pattern, enum values,
// allowed types). Saved fields keep their key (content lives under it);
// new ones can be renamed and moved.
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n';
import { fieldKinds, newField, settingsFor, type FieldDraft } from './fields';

type Props = {
  fields: FieldDraft[];
  onChange: (fields: FieldDraft[]) => void;
  typeKeys: { key: string; kind: string }[];
  disabled?: boolean;
};

export function FieldBuilder({ fields, onChange, typeKeys, disabled }: Props) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<FieldDraft>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const move = (i: number, by: number) => {
    const next = [...fields];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    onChange(next);
  };
  const canMove = (i: number, by: number) => fields[i]?.isNew && fields[i + by]?.isNew;
  return (
    <fieldset className="stack" disabled={disabled}>
      <legend>{t('model.fields')}</legend>
      {fields.map((f, i) => (
        <FieldRow key={i} f={f} i={i} typeKeys={typeKeys} set={(p) => set(i, p)}
          up={canMove(i, -1) ? () => move(i, -1) : undefined}
          down={canMove(i, 1) ? () => move(i, 1) : undefined}
          remove={() => onChange(fields.filter((_, j) => j !== i))} />
      ))}
      <div><button type="button" onClick={() => onChange([...fields, newField(fields.length + 1)])}>{t('model.addField')}</button></div>
    </fieldset>
  );
}

type RowProps = {
  f: FieldDraft; i: number; typeKeys: { key: string; kind: string }[];
  set: (p: Partial<FieldDraft>) => void; up?: () => void; down?: () => void; remove: () => void;
};

function FieldRow({ f, i, typeKeys, set, up, down, remove }: RowProps) {
  const { t } = useI18n();
  const id = useId();
  const s = settingsFor(f.kind, f.list);
  const label = f.key || `#${i + 1}`;
  // A block field takes block types; a reference, entry types.
  const candidates = typeKeys.filter((tk) => (f.kind === 'BLOCKS' ? tk.kind === 'BLOCK' : tk.kind === 'ENTRY'));
  return (
    <div className="field-row" role="group" aria-label={label} data-field={f.key}>
      <div className="row">
        <label>{t('field.key')}<input value={f.key} readOnly={!f.isNew} onChange={(e) => set({ key: e.target.value })} pattern="[a-zA-Z][a-zA-Z0-9_]*" required /></label>
        <label>{t('field.name')}<input value={f.name} onChange={(e) => set({ name: e.target.value })} /></label>
        <label>{t('field.description')}<input value={f.description} onChange={(e) => set({ description: e.target.value })} /></label>
        <label>{t('field.kind')}
          <select value={f.kind} onChange={(e) => set({ kind: e.target.value as FieldDraft['kind'] })}>
            {fieldKinds.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </label>
        <label className="check"><input type="checkbox" checked={f.required} onChange={(e) => set({ required: e.target.checked })} />{t('field.required')}</label>
        <label className="check"><input type="checkbox" checked={f.localized} onChange={(e) => set({ localized: e.target.checked })} />{t('field.localized')}</label>
        {s.unique && <label className="check"><input type="checkbox" checked={f.unique} onChange={(e) => set({ unique: e.target.checked })} />{t('field.unique')}</label>}
        {s.list && <label className="check"><input type="checkbox" checked={f.list} onChange={(e) => set({ list: e.target.checked })} />{t('field.list')}</label>}
      </div>
      <div className="row">
        {s.minMax && <label>{t('field.min')}<input type="number" value={f.min} onChange={(e) => set({ min: e.target.value })} /></label>}
        {s.minMax && <label>{t('field.max')}<input type="number" value={f.max} onChange={(e) => set({ max: e.target.value })} /></label>}
        {s.pattern && <label>{t('field.pattern')}<input value={f.pattern} onChange={(e) => set({ pattern: e.target.value })} /></label>}
        {s.values && <label>{t('field.values')}<input value={f.values} onChange={(e) => set({ values: e.target.value })} /></label>}
        {s.allowedTypes && (
          <label htmlFor={id}>{t('field.allowedTypes')}
            <select id={id} multiple value={f.allowedTypes} size={Math.min(4, Math.max(2, candidates.length))}
              onChange={(e) => {
                // Keep the saved order and append new choices: reordering alone is not a change.
                const picked = [...e.target.selectedOptions].map((o) => o.value);
                set({ allowedTypes: [...f.allowedTypes.filter((k) => picked.includes(k)), ...picked.filter((k) => !f.allowedTypes.includes(k))] });
              }}>
              {candidates.map((tk) => <option key={tk.key} value={tk.key}>{tk.key}</option>)}
            </select>
          </label>
        )}
        <div className="actions">
          <button type="button" onClick={up} disabled={!up} aria-label={`${t('field.moveUp')}: ${label}`}>↑</button>
          <button type="button" onClick={down} disabled={!down} aria-label={`${t('field.moveDown')}: ${label}`}>↓</button>
          <button type="button" onClick={remove} aria-label={`${t('common.remove')}: ${label}`}>{t('common.remove')}</button>
        </div>
      </div>
    </div>
  );
}
