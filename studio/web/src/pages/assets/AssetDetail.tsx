// One asset: its picture with a focal point picker (click, or arrow keys
// on the picture), alt texts per locale, tags, and the rendition each
// device gets. Saved with updateAsset at the version shown.
import { useEffect, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useParams } from 'react-router';
import { useMutation } from 'urql';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Loading } from '../../ui/Loading';
import { Done, ErrorNote } from '../../ui/Notes';
import { useLocales } from '../content/locales';
import { AssetDetailDoc, UpdateAssetDoc } from './queries';

const devices = ['watch', 'mobile', 'tablet', 'desktop', 'tv', 'kiosk'] as const;

export function AssetDetail() {
  const { t, date } = useI18n();
  const { id = '' } = useParams();
  const { can } = useSession();
  const locales = useLocales();
  const [{ data, fetching, error }, refetch] = useQuery({ query: AssetDetailDoc, variables: { id } });
  const [saveRes, save] = useMutation(UpdateAssetDoc);
  const a = data?.asset;
  const [alts, setAlts] = useState<Record<string, string>>({});
  const [tags, setTags] = useState('');
  const [focal, setFocal] = useState<{ x: number; y: number } | null>(null);
  const [done, setDone] = useState('');
  useEffect(() => {
    if (!a) return;
    setAlts(Object.fromEntries(a.altTexts.map((x) => [x.locale, x.text])));
    setTags(a.tags.join(', '));
    setFocal(a.focalPoint ? { x: a.focalPoint.x, y: a.focalPoint.y } : null);
    // Keyed on the version: a background refetch must not wipe edits.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [a?.id, a?.version]);

  if (fetching && !data) return <Loading />;
  if (error) return <ErrorNote error={error} />;
  if (!a) return <ErrorNote>{`no asset ${id}`}</ErrorNote>;
  const image = a.contentType.startsWith('image/');
  const writable = can('content.write');

  const pick = (e: MouseEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    setFocal({ x: round((e.clientX - r.left) / r.width), y: round((e.clientY - r.top) / r.height) });
  };
  const nudge = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowLeft: [-0.05, 0], ArrowRight: [0.05, 0], ArrowUp: [0, -0.05], ArrowDown: [0, 0.05] }[e.key];
    if (!step) return;
    e.preventDefault();
    const cur = focal ?? { x: 0.5, y: 0.5 };
    setFocal({ x: round(cur.x + step[0]), y: round(cur.y + step[1]) });
  };
  const submit = async () => {
    const res = await save({
      id: a.id, expectedVersion: a.version,
      input: {
        altTexts: locales.supported.map((l) => ({ locale: l.code, text: alts[l.code] ?? '' })),
        tags: tags.split(',').map((s) => s.trim()).filter(Boolean),
        ...(focal ? { focalPoint: focal } : { clearFocalPoint: true }),
      },
    });
    if (!res.error) { setDone(t('assets.saved')); refetch({ requestPolicy: 'network-only' }); }
  };

  return (
    <div className="stack">
      <h3>{a.filename}</h3>
      <p className="muted">{a.contentType} · {a.width && `${a.width}×${a.height} · `}{a.size} bytes · v{a.version} · {date(a.updatedAt)}</p>
      <form className="columns" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="stack">
          {image && (
            <>
              <p className="hint" id="focal-hint">{t('assets.focal')}</p>
              <div className="focal" role="application" tabIndex={0} aria-describedby="focal-hint"
                aria-label={`${t('assets.focal')}: ${focal ? `${Math.round(focal.x * 100)}%, ${Math.round(focal.y * 100)}%` : t('common.none')}`}
                onClick={writable ? pick : undefined} onKeyDown={writable ? nudge : undefined} data-focal={focal ? `${focal.x},${focal.y}` : ''}>
                <img src={a.tablet} alt={alts[locales.default] ?? ''} />
                {focal && <span className="dot" style={{ left: `${focal.x * 100}%`, top: `${focal.y * 100}%` }} />}
              </div>
            </>
          )}
        </div>
        <fieldset className="stack" disabled={!writable}>
          {locales.supported.map((l) => (
            <label key={l.code}>{t('assets.alt', { locale: l.code })}
              <input value={alts[l.code] ?? ''} onChange={(e) => setAlts({ ...alts, [l.code]: e.target.value })} />
            </label>
          ))}
          <label>{t('assets.tags')}<input value={tags} onChange={(e) => setTags(e.target.value)} /></label>
          <div><button type="submit">{t('common.save')}</button></div>
          <ErrorNote error={saveRes.error} />
          <Done>{done}</Done>
        </fieldset>
      </form>
      <section aria-labelledby="renditions-h">
        <h4 id="renditions-h">{t('assets.renditions')}</h4>
        <table>
          <tbody>
            {devices.map((d) => (
              <tr key={d} data-device={d}><th scope="row">{d}</th><td><a href={a[d]}>{a[d]}</a></td></tr>
            ))}
            <tr><th scope="row">original</th><td><a href={a.original}>{a.original}</a></td></tr>
          </tbody>
        </table>
      </section>
    </div>
  );
}

function round(n: number): number {
  return Math.min(1, Math.max(0, Math.round(n * 1000) / 1000));
}
