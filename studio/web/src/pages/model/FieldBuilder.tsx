// The field builder: one row per field with every setting the field's kind
// takes (required, localized, unique, list, min/max, pattern, enum values,
// allowed types, a reference list's recommendation source). Saved fields keep their key (content lives under it);
// new ones can be renamed and moved.
import { useId } from 'react';
import type { CombinedError } from 'urql';
import type { ContentTypeChangesInput } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { fieldKinds, newField, newRecommend, recommendErrors, recommendBy, recommendSources, settingsFor, type FieldDraft, type RecommendDraft } from './fields';

type Props = {
  fields: FieldDraft[];
  onChange: (fields: FieldDraft[]) => void;
  typeKeys: { key: string; kind: string }[];
  disabled?: boolean;
  // The last save's error and the change it sent: BAD_USER_INPUT paths
  // about a field's recommend are shown beside that row's inputs.
  error?: CombinedError | null;
  changes?: ContentTypeChangesInput | null;
};

export function FieldBuilder({ fields, onChange, typeKeys, disabled, error, changes }: Props) {
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
        <FieldRow key={i} f={f} i={i} typeKeys={typeKeys} set={(p) => set(i, p)} errors={recommendErrors(error, f.key, i, changes)}
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
  errors: Record<string, string>;
};

function FieldRow({ f, i, typeKeys, set, up, down, remove, errors }: RowProps) {
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
      {s.recommend && <Recommend r={f.recommend} set={(recommend) => set({ recommend })} entryTypes={candidates.map((c) => c.key)} errors={errors} />}
    </div>
  );
}

// Recommend edits a reference list's recommendation source; by and window
// apply to popular only (the server says so too, beside the input).
function Recommend({ r, set, entryTypes, errors }: {
  r: RecommendDraft | null; set: (r: RecommendDraft | null) => void; entryTypes: string[]; errors: Record<string, string>;
}) {
  const { t } = useI18n();
  const typesId = useId();
  const patch = (p: Partial<RecommendDraft>) => r && set({ ...r, ...p });
  const err = (k: string) => errors[k] ? <span className="error" role="alert" data-error={k}>{errors[k]}</span> : null;
  const label: Record<string, string> = { popular: t('rec.popular'), alsoViewed: t('rec.alsoViewed'), recentlyViewed: t('rec.recentlyViewed') };
  return (
    <fieldset className="stack recommend" data-recommend>
      <legend>{t('rec.title')}</legend>
      <label className="check"><input type="checkbox" name="recommendOn" checked={!!r} onChange={(e) => set(e.target.checked ? newRecommend() : null)} />{t('rec.enable')}</label>
      {r && (
        <div className="row">
          <label>{t('rec.source')}<select name="recommendSource" value={r.source} onChange={(e) => patch({ source: e.target.value })}>
            {recommendSources.map((s) => <option key={s} value={s}>{label[s]}</option>)}
          </select>{err('source')}</label>
          {r.source === 'popular' && <>
            <label>{t('rec.by')}<select name="recommendBy" value={r.by} onChange={(e) => patch({ by: e.target.value })}>
              <option value="">{t('rec.everyone')}</option>
              {recommendBy.map((b) => <option key={b} value={b}>{b}</option>)}
            </select>{err('by')}</label>
            <label>{t('rec.window')}<input name="recommendWindow" placeholder="168h" value={r.window} onChange={(e) => patch({ window: e.target.value })} />{err('window')}</label>
          </>}
          <label>{t('rec.limit')}<input name="recommendLimit" type="number" min={1} max={50} value={r.limit} onChange={(e) => patch({ limit: e.target.value })} style={{ width: 80 }} />{err('limit')}</label>
          <label htmlFor={typesId}>{t('rec.types')}
            <select id={typesId} name="recommendTypes" multiple value={r.types} size={Math.min(4, Math.max(2, entryTypes.length))}
              onChange={(e) => patch({ types: [...e.target.selectedOptions].map((o) => o.value) })}>
              {[...new Set([...entryTypes, ...r.types])].map((k) => <option key={k} value={k}>{k}</option>)}
            </select>{err('types')}</label>
          <label>{t('rec.tags')}<input name="recommendTags" value={r.tags} onChange={(e) => patch({ tags: e.target.value })} />{err('tags')}</label>
          <label className="check"><input type="checkbox" name="recommendExcludePurchased" checked={r.excludePurchased} onChange={(e) => patch({ excludePurchased: e.target.checked })} />{t('rec.excludePurchased')}</label>
        </div>
      )}
    </fieldset>
  );
}
