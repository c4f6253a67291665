// Upload by drag and drop or a file chooser: each file goes up as a GraphQL
// multipart request with a progress bar (XMLHttpRequest reports upload
// progress; fetch does not), one after another.
import { useRef, useState } from 'react';
import { uploadAsset } from '../../api/upload';
import { useI18n } from '../../i18n/i18n';
import { Done, ErrorNote } from '../../ui/Notes';

type Job = { name: string; progress: number; error?: string; done?: boolean };

export function Upload({ onUploaded, disabled }: { onUploaded: () => void; disabled?: boolean }) {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  const [jobs, setJobs] = useState<Job[]>([]);
  const input = useRef<HTMLInputElement>(null);

  const send = async (files: File[]) => {
    const start = jobs.length;
    setJobs((old) => [...old, ...files.map((f) => ({ name: f.name, progress: 0 }))]);
    for (const [i, f] of files.entries()) {
      const set = (patch: Partial<Job>) => setJobs((old) => old.map((j, k) => (k === start + i ? { ...j, ...patch } : j)));
      try {
        await uploadAsset(f, (p) => set({ progress: p }));
        set({ done: true, progress: 1 });
        onUploaded();
      } catch (e) {
        set({ error: (e as Error).message });
      }
    }
  };
  return (
    <div className={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => { e.preventDefault(); if (!disabled) setOver(true); }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => { e.preventDefault(); setOver(false); if (!disabled) send([...e.dataTransfer.files]); }}>
      <p>{t('assets.drop')}</p>
      <input ref={input} type="file" multiple hidden disabled={disabled} onChange={(e) => { send([...(e.target.files ?? [])]); e.target.value = ''; }}
        aria-label={t('assets.choose')} />
      <button type="button" disabled={disabled} onClick={() => input.current?.click()}>{t('assets.choose')}</button>
      <ul className="list">
        {jobs.map((j, i) => (
          <li key={i}>
            <label>{t('assets.uploading', { name: j.name })}
              <progress max={1} value={j.progress} aria-label={t('assets.uploading', { name: j.name })} />
            </label>
            {j.error && <ErrorNote>{j.error}</ErrorNote>}
            {j.done && <Done>{t('assets.uploaded', { name: j.name })}</Done>}
          </li>
        ))}
      </ul>
    </div>
  );
}
