// What an expectedVersion conflict means, in words: who saved which
// version while this editor had another, and the two ways on — reload
// (their version replaces the form) or review the difference field by
// field before saving again over theirs.
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { changedFields, type Fields } from './form';

export type ConflictInfo = { mine: number; current: number | null; by: string; theirs: Fields | null };

export function ConflictNote({ info, myFields, onReload }: { info: ConflictInfo; myFields: Fields; onReload: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const diff = info.theirs ? changedFields(myFields, info.theirs) : [];
  return (
    <div className="card stack" role="alert" data-conflict>
      <p>{info.current == null
        ? t('content.conflictUnknown')
        : t('content.conflict', { current: info.current, mine: info.mine, who: info.by })}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={onReload}>{t('content.reload')}</button>
        {info.theirs && <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>{t('content.reviewDiff')}</button>}
      </div>
      {open && (
        <table>
          <thead><tr><th>{t('field.key')}</th><th>{t('content.yours')}</th><th>{t('content.theirs')}</th></tr></thead>
          <tbody>
            {diff.map((k) => (
              <tr key={k}><th scope="row">{k}</th>
                <td className="diff-del"><code>{JSON.stringify(myFields[k] ?? null)}</code></td>
                <td className="diff-add"><code>{JSON.stringify(info.theirs![k] ?? null)}</code></td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
