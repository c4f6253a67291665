// A loading indicator that appears only after 200 ms: quick answers do not
// flash a spinner, slow ones always show one.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), 200);
    return () => clearTimeout(timer);
  }, []);
  if (!shown) return null;
  return <p className="loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />{label ?? t('common.loading')}</p>;
}
