// One content type: create it, or edit it by safe field operations with a
// dry run first — the diff in words, how many entries hold values in what
// changes, and a "force" tick for each destructive change the server would
// otherwise refuse — then apply. Its JSON Schema below. Deleting a type
// asks first; the server refuses while anything uses it, and says what.
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMutation } from 'urql';
import { useQuery } from '../../api/query';
import type { ChangeContentTypeMutation, ContentTypeChangesInput, TypeKind } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Loading } from '../../ui/Loading';
import { useConfirm } from '../../ui/Confirm';
import { Done, ErrorNote } from '../../ui/Notes';
import { FieldBuilder } from './FieldBuilder';
import { changesBetween, fromDef, problems, toInput, type FieldDraft } from './fields';
import { ChangeTypeDoc, CreateTypeDoc, DeleteTypeDoc, TypeDoc, TypesDoc } from './queries';

type Diff = ChangeContentTypeMutation['changeContentType']['diff'];

export function TypeEditor({ typeKey }: { typeKey: string | null | undefined }) {
  const params = useParams();
  const key = typeKey === undefined ? params.key ?? '' : typeKey;
  const isNew = key === null;
  const { t } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const [types] = useQuery({ query: TypesDoc });
  const [{ data, fetching, error }, refetch] = useQuery({ query: TypeDoc, variables: { key: key ?? '' }, pause: isNew });
  const saved = data?.contentType;

  const [form, setForm] = useState({ key: '', name: '', description: '', kind: 'ENTRY' as TypeKind });
  const [fields, setFields] = useState<FieldDraft[]>([]);
  const [plan, setPlan] = useState<{ changes: ContentTypeChangesInput; diff: Diff } | null>(null);
  const [force, setForce] = useState<string[]>([]);
  const [done, setDone] = useState('');
  const [createRes, create] = useMutation(CreateTypeDoc);
  const [changeRes, change] = useMutation(ChangeTypeDoc);
  const [deleteRes, remove] = useMutation(DeleteTypeDoc);
  const [ask, dialog] = useConfirm();

  useEffect(() => {
    if (!saved) return;
    setForm({ key: saved.key, name: saved.name, description: saved.description, kind: saved.kind });
    setFields(saved.fields.map(fromDef));
    setPlan(null);
    setForce([]);
    // Keyed on the version: a background refetch of the same version must
    // not wipe the user's edits.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved?.key, saved?.version]);

  const writable = can('model.write');
  const local = problems(fields);
  const changes = saved ? changesBetween(saved, { ...form, fields }) : null;

  const preview = async (forceKeys = force) => {
    if (!saved || !changes) return;
    const res = await change({ key: saved.key, changes, expectedVersion: saved.version, force: forceKeys, dryRun: true });
    if (res.data) setPlan({ changes, diff: res.data.changeContentType.diff });
  };
  const apply = async () => {
    if (!saved || !plan) return;
    const res = await change({ key: saved.key, changes: plan.changes, expectedVersion: saved.version, force, dryRun: false });
    if (res.data) {
      setDone(t('model.applied', { version: res.data.changeContentType.contentType.version }));
      setPlan(null);
      refetch({ requestPolicy: 'network-only' });
    }
  };
  const createType = async () => {
    const res = await create({ input: { key: form.key.trim(), name: form.name.trim() || form.key.trim(), description: form.description, kind: form.kind, fields: fields.map(toInput) } });
    if (res.data) {
      setDone(t('model.created', { key: res.data.createContentType.key }));
      navigate(`/model/${res.data.createContentType.key}`);
    }
  };
  const deleteType = async () => {
    if (!saved || !(await ask(t('model.deleteConfirm', { key: saved.key }), t('common.delete')))) return;
    const res = await remove({ key: saved.key, expectedVersion: saved.version }, { additionalTypenames: ['ContentType'] });
    if (res.data?.deleteContentType) navigate('/model');
  };
  const toggleForce = (k: string, on: boolean) => {
    const next = on ? [...force, k] : force.filter((x) => x !== k);
    setForce(next);
    preview(next);
  };

  if (!isNew && fetching && !data) return <Loading />;
  if (!isNew && error) return <ErrorNote error={error} />;
  if (!isNew && !saved) return <ErrorNote>{`no content type ${key}`}</ErrorNote>;

  const typeKeys = (types.data?.contentTypes ?? []).map((c) => ({ key: c.key, kind: c.kind }));
  return (
    <div className="stack">
      <h3>{isNew ? t('model.new') : `${saved!.name} (${saved!.key})`} {saved && <span className="muted">{t('model.version', { version: saved.version })}</span>}</h3>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); if (isNew) createType(); else preview(); }}>
        <fieldset className="row" disabled={!writable}>
          <label>{t('model.key')}<input value={form.key} readOnly={!isNew} required onChange={(e) => setForm({ ...form, key: e.target.value })} /></label>
          <label>{t('model.name')}<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
          <label>{t('model.description')}<input value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} /></label>
          <label>{t('model.kind')}
            <select value={form.kind} disabled={!isNew} onChange={(e) => setForm({ ...form, kind: e.target.value as TypeKind })}>
              <option value="ENTRY">{t('model.kind.ENTRY')}</option>
              <option value="BLOCK">{t('model.kind.BLOCK')}</option>
            </select>
          </label>
        </fieldset>
        <FieldBuilder fields={fields} onChange={(f) => { setFields(f); setPlan(null); }} typeKeys={typeKeys} disabled={!writable} error={createRes.error ?? changeRes.error} changes={changes} />
        {local.length > 0 && <ul className="error">{local.map((p) => <li key={p}>{p}</li>)}</ul>}
        {writable && (
          <div className="actions">
            {isNew
              ? <button type="submit" disabled={local.length > 0 || createRes.fetching}>{t('model.create')}</button>
              : <button type="submit" disabled={!changes || local.length > 0 || changeRes.fetching}>{t('model.preview')}</button>}
            {saved && <button type="button" className="danger" disabled={deleteRes.fetching} onClick={deleteType}>{t('model.delete')}</button>}
          </div>
        )}
      </form>
      <ErrorNote error={createRes.error ?? changeRes.error ?? deleteRes.error} />
      {dialog}
      <Done>{done}</Done>
      {plan && <PlanView diff={plan.diff} force={force} onForce={toggleForce} onApply={apply} busy={changeRes.fetching} />}
      {saved && (
        <details>
          <summary>{t('model.jsonSchema')}</summary>
          <pre aria-label={t('model.jsonSchema')} tabIndex={0}>{JSON.stringify(saved.jsonSchema, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}

function PlanView({ diff, force, onForce, onApply, busy }: {
  diff: Diff; force: string[]; onForce: (k: string, on: boolean) => void; onApply: () => void; busy: boolean;
}) {
  const { t } = useI18n();
  const all = [
    ...diff.added.map((c) => ({ ...c, op: '+' })),
    ...diff.changed.map((c) => ({ ...c, op: '~' })),
    ...diff.removed.map((c) => ({ ...c, op: '−' })),
  ];
  const blocked = all.some((c) => c.needsForce);
  return (
    <section className="card stack" aria-label={t('model.preview')}>
      <h4>{t('model.preview')}</h4>
      {!all.length && !diff.changes.length && <p>{t('model.noChanges')}</p>}
      {diff.changes.map((c) => <p key={c}>{c}</p>)}
      <ul>
        {all.map((c) => (
          <li key={c.op + c.key} className={c.op === '−' ? 'diff-del' : c.op === '+' ? 'diff-add' : ''}>
            <strong>{c.op} {c.key}</strong>{c.changes.length > 0 && <>: {c.changes.join('; ')}</>}
            {c.entriesWithValues > 0 && <> — {t('model.fieldHolds', { count: c.entriesWithValues, key: c.key })}</>}
            {(c.needsForce || force.includes(c.key)) && (
              <label className="check">
                <input type="checkbox" checked={force.includes(c.key)} onChange={(e) => onForce(c.key, e.target.checked)} />
                {t('model.force')} {c.key} <span className="muted">{t('model.needsForce')}</span>
              </label>
            )}
          </li>
        ))}
      </ul>
      {diff.entriesAffected > 0 && <p>{t('model.entriesAffected', { count: diff.entriesAffected })}</p>}
      <div><button type="button" className="primary" onClick={onApply} disabled={blocked || busy}>{t('model.apply')}</button></div>
    </section>
  );
}
