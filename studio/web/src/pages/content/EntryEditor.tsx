// The entry editor, generated from the entry's content type: locale tabs
// (the default locale holds shared fields; others show the fallback where
// they have no value), one control per field, and the draft lifecycle —
// save (with expectedVersion; a conflict is explained, not just refused),
// publish, unpublish, delete, history and rollback, each destructive step
// behind a confirmation.
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useClient, useMutation, type CombinedError } from 'urql';
import { useQuery } from '../../api/query';
import { errorCode, fieldErrors } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useConfirm } from '../../ui/Confirm';
import { Loading } from '../../ui/Loading';
import { Done, ErrorNote } from '../../ui/Notes';
import { ConflictNote, type ConflictInfo } from './Conflict';
import { FieldControl } from './FieldControl';
import { editable, fallback, fieldsToSave, isEmpty, type Fields } from './form';
import { useLocales } from './locales';
import { CreateEntryDoc, DeleteEntryDoc, DraftDoc, PublishEntryDoc, RollbackEntryDoc, TypesFullDoc, UnpublishEntryDoc, UpdateEntryDoc } from './queries';
import { plainText, type RichNode } from './richtext';
import { EntryContext, TypesContext } from './typesContext';
import { useChainDrafts } from './useChainDrafts';

export function EntryEditor() {
  const { t } = useI18n();
  const { type: typeKey = '', id } = useParams();
  const [params, setParams] = useSearchParams();
  const locales = useLocales();
  const locale = id ? params.get('locale') ?? locales.default : locales.default;
  const chain = locales.supported.find((l) => l.code === locale)?.fallbackChain ?? [locale];
  const [typesRes] = useQuery({ query: TypesFullDoc });
  const typeMap = useMemo(() => new Map((typesRes.data?.contentTypes ?? []).map((ty) => [ty.key, ty])), [typesRes.data]);
  const type = typeMap.get(typeKey);
  const { drafts, error, reload } = useChainDrafts(id, chain);

  if (typesRes.error || error) return <ErrorNote error={typesRes.error ?? error} />;
  if (!type || (id && !drafts)) return <Loading />;
  return (
    <TypesContext.Provider value={typeMap}>
      <div className="stack">
        {id && (
          <div role="tablist" className="tabs" aria-label={t('content.locale')}>
            {locales.supported.map((l) => (
              <button key={l.code} type="button" role="tab" aria-selected={l.code === locale}
                onClick={() => setParams({ locale: l.code })}>{l.code}</button>
            ))}
          </div>
        )}
        <EntryContext.Provider value={id && drafts?.[locale] ? { id, locale } : null}>
          <EntryForm key={`${id}:${locale}`} type={type} id={id} locale={locale} chain={chain}
            defaultLocale={locales.default} drafts={drafts ?? {}} reload={reload} />
        </EntryContext.Provider>
      </div>
    </TypesContext.Provider>
  );
}

type FormProps = {
  type: NonNullable<ReturnType<Map<string, import('./typesContext').FullType>['get']>>;
  id?: string; locale: string; chain: string[]; defaultLocale: string;
  drafts: Record<string, import('./useChainDrafts').Draft | null>; reload: () => Promise<void>;
};

function EntryForm({ type, id, locale, chain, defaultLocale, drafts, reload }: FormProps) {
  const { t, date } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const client = useClient();
  const draft = id ? drafts[locale] ?? null : null;
  const [slug, setSlug] = useState(draft?.slug ?? drafts[defaultLocale]?.slug ?? '');
  const [values, setValues] = useState<Fields>(draft?.fields ?? {});
  const [base, setBase] = useState(draft?.version ?? 0);
  const [dirty, setDirty] = useState(false);
  const [done, setDone] = useState('');
  const [conflict, setConflict] = useState<ConflictInfo | null>(null);
  const [lastError, setLastError] = useState<CombinedError | null>(null);
  const [ask, dialog] = useConfirm();
  const [, create] = useMutation(CreateEntryDoc);
  const [, update] = useMutation(UpdateEntryDoc);
  const [, publish] = useMutation(PublishEntryDoc);
  const [, unpublish] = useMutation(UnpublishEntryDoc);
  const [, rollback] = useMutation(RollbackEntryDoc);
  const [, remove] = useMutation(DeleteEntryDoc);

  // A reload (after a conflict, or another tab's change) replaces the form.
  useEffect(() => {
    if (!draft) return;
    setSlug(draft.slug); setValues(draft.fields ?? {}); setBase(draft.version); setDirty(false);
  }, [draft]); // a new object only when reload() fetched it again

  const writable = can('content.write');
  const errors = fieldErrors(lastError);
  const toSave = () => fieldsToSave(type, locale, defaultLocale, values);
  const failed = (err: CombinedError | undefined) => { setLastError(err ?? null); if (err) setDone(''); return !!err; };

  const save = async () => {
    if (!id) {
      const res = await create({ input: { type: type.key, locale, slug, fields: toSave() } });
      if (failed(res.error)) return;
      setDone(t('content.created', { slug }));
      navigate(`/content/${type.key}/${res.data!.createEntry.id}?locale=${locale}`);
      return;
    }
    if (!draft) {
      const res = await create({ input: { id, type: type.key, locale, slug, fields: toSave() } });
      if (failed(res.error)) return;
      await reload();
      setDone(t('content.saved', { version: res.data!.createEntry.version }));
      return;
    }
    const res = await update({ id, locale, input: { slug, fields: toSave() }, expectedVersion: base });
    if (res.error && errorCode(res.error) === 'CONFLICT') {
      // Who won? Read the draft as it is now.
      const now = await client.query(DraftDoc, { id, locale }, { requestPolicy: 'network-only' }).toPromise();
      const d = now.data?.draft;
      if (d && d.version !== base) {
        setConflict({ mine: base, current: d.version, by: d.updatedBy, theirs: d.fields });
        setLastError(null);
        return;
      }
    }
    if (failed(res.error)) return;
    setBase(res.data!.updateEntry.version);
    setDirty(false);
    setConflict(null);
    setDone(t('content.saved', { version: res.data!.updateEntry.version }));
  };
  const doPublish = async () => {
    const res = await publish({ id: id!, locale, expectedVersion: base });
    if (failed(res.error)) return;
    await reload();
    setDone(t('content.published', { version: res.data!.publishEntry.publishedVersion ?? '' }));
  };
  const doUnpublish = async () => {
    if (!(await ask(t('content.unpublishConfirm', { slug, locale }), t('content.unpublish')))) return;
    const res = await unpublish({ id: id!, locale });
    if (failed(res.error)) return;
    await reload();
    setDone(t('content.unpublished'));
  };
  const doRollback = async (version: number) => {
    if (!(await ask(t('content.rollbackConfirm', { version, slug }), t('content.rollback', { version })))) return;
    const res = await rollback({ id: id!, locale, version, expectedVersion: base });
    if (failed(res.error)) return;
    await reload();
    setDone(t('content.rolledBack', { version, live: res.data!.rollbackEntry.publishedVersion ?? '' }));
  };
  const doDelete = async () => {
    if (!(await ask(t('content.deleteConfirm', { slug }), t('common.delete')))) return;
    const res = await remove({ id: id! });
    if (failed(res.error)) return;
    navigate(`/content/${type.key}`);
  };

  return (
    <form className="stack" aria-label={`${type.name} ${slug}`} onSubmit={(e) => { e.preventDefault(); save(); }}>
      <h3>{type.name}: {slug || t('content.new')} {draft && <span className={`status-${draft.status}`}>{t(`content.status.${draft.status}`)} · v{draft.version}</span>}</h3>
      {id && !draft && <p className="card">{t('content.missingLocale', { locale })}</p>}
      <fieldset className="stack" disabled={!writable}>
        <div className="field-row">
          <label>{t('content.slug')}<input value={slug} required onChange={(e) => { setSlug(e.target.value); setDirty(true); }} /></label>
          {errors.slug && <span className="error">{errors.slug}</span>}
        </div>
        {type.fields.map((f) => {
          const mine = editable(f, locale, defaultLocale);
          const fb = !mine || isEmpty(values[f.key]) ? fallback(f.key, chain, drafts) : null;
          const shown = mine ? values[f.key] : drafts[defaultLocale]?.fields?.[f.key];
          return (
            <div key={f.key}>
              <FieldControl def={f} value={shown} readOnly={!mine}
                placeholder={fb && typeof fb.value !== 'object' ? String(fb.value) : undefined}
                onChange={(v) => { setValues((old) => ({ ...old, [f.key]: v })); setDirty(true); }} />
              {!mine && <p className="hint">{t('content.notLocalized', { locale: defaultLocale })}</p>}
              {mine && fb && (
                <p className="hint" data-fallback={fb.locale}>
                  {t('content.fallback', { locale: fb.locale })} {summary(fb.value)}
                </p>
              )}
              {errors[f.key] && <p className="error">{errors[f.key]}</p>}
            </div>
          );
        })}
      </fieldset>
      {conflict && <ConflictNote info={conflict} myFields={toSave()} onReload={async () => { setConflict(null); await reload(); }} />}
      <ErrorNote error={lastError} />
      <Done>{done}</Done>
      <div className="actions">
        <button type="submit" disabled={!writable}>{id && !draft ? t('content.addLocale') : t('content.saveDraft')}</button>
        {draft && can('content.publish') && (
          <>
            <button type="button" className="primary" disabled={dirty} title={dirty ? t('content.publishDirty') : undefined} onClick={doPublish}>{t('content.publish')}</button>
            {draft.publishedVersion != null && <button type="button" onClick={doUnpublish}>{t('content.unpublish')}</button>}
          </>
        )}
        {id && can('content.write') && <button type="button" className="danger" onClick={doDelete}>{t('common.delete')}</button>}
        {draft && <Link to={`/variants/${id}?locale=${locale}`} aria-label={`${t('nav.variants')}: ${type.name} ${slug}`}>{t('nav.variants')}</Link>}
      </div>
      {draft && (
        <section aria-labelledby="history-h">
          <h4 id="history-h">{t('content.history')}</h4>
          {!draft.history.length && <p className="muted">{t('content.neverPublished')}</p>}
          <ol className="list">
            {draft.history.map((v) => (
              <li key={v.version} className="row" data-version={v.version}>
                <span>{t('content.publishedBy', { version: v.version, who: v.publishedBy, when: date(v.publishedAt) })}{v.version === draft.publishedVersion && ' ✓'}</span>
                {can('content.publish') && v.version !== draft.publishedVersion && (
                  <button type="button" onClick={() => doRollback(v.version)}>{t('content.rollback', { version: v.version })}</button>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      {dialog}
    </form>
  );
}

function summary(v: unknown): string {
  if (v && typeof v === 'object' && (v as RichNode).type === 'doc') return `“${plainText(v as RichNode).slice(0, 80)}”`;
  if (typeof v === 'string') return `“${v.slice(0, 80)}”`;
  return JSON.stringify(v).slice(0, 80);
}
