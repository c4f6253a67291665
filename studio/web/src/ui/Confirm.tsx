// Confirmation for destructive actions: a modal dialog that names what will
// happen, with Cancel focused first so Enter never destroys by accident.
// useConfirm() returns ask(message) → Promise<boolean> and the dialog to
// render.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

type Pending = { message: ReactNode; action: string; resolve: (ok: boolean) => void };

export function useConfirm(): [(message: ReactNode, action?: string) => Promise<boolean>, ReactNode] {
  const [pending, setPending] = useState<Pending | null>(null);
  const ask = useCallback((message: ReactNode, action = '') =>
    new Promise<boolean>((resolve) => setPending({ message, action, resolve })), []);
  const close = (ok: boolean) => { pending?.resolve(ok); setPending(null); };
  const dialog = pending ? <ConfirmDialog message={pending.message} action={pending.action} onClose={close} /> : null;
  return [ask, dialog];
}

function ConfirmDialog({ message, action, onClose }: { message: ReactNode; action: string; onClose: (ok: boolean) => void }) {
  const { t } = useI18n();
  const cancel = useRef<HTMLButtonElement>(null);
  const before = useRef<Element | null>(null);
  useEffect(() => {
    before.current = document.activeElement;
    cancel.current?.focus();
    return () => (before.current as HTMLElement | null)?.focus?.();
  }, []);
  return (
    <div className="backdrop">
      <div role="alertdialog" aria-modal="true" aria-labelledby="confirm-text" className="dialog"
        onKeyDown={(e) => { if (e.key === 'Escape') onClose(false); }}>
        <p id="confirm-text">{message}</p>
        <div className="actions">
          <button type="button" ref={cancel} onClick={() => onClose(false)}>{t('common.cancel')}</button>
          <button type="button" className="danger" onClick={() => onClose(true)}>{action || t('common.confirm')}</button>
        </div>
      </div>
    </div>
  );
}
