// The drafts of one entry in every locale of a fallback chain, fetched
// together: the editor edits the first and shows the others' values where
// the first has none.
import { useCallback, useEffect, useState } from 'react';
import { useClient, type CombinedError } from 'urql';
import type { DraftQuery } from '../../gql/graphql';
import { DraftDoc } from './queries';

export type Draft = NonNullable<DraftQuery['draft']>;

export function useChainDrafts(id: string | undefined, chain: string[]) {
  const client = useClient();
  const [drafts, setDrafts] = useState<Record<string, Draft | null> | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const key = chain.join(',');
  const load = useCallback(async () => {
    if (!id) return;
    const answers = await Promise.all(key.split(',').map((locale) =>
      client.query(DraftDoc, { id, locale }, { requestPolicy: 'network-only' }).toPromise()));
    const failed = answers.find((a) => a.error);
    if (failed?.error) { setError(failed.error); return; }
    setError(null);
    setDrafts(Object.fromEntries(key.split(',').map((locale, i) => [locale, answers[i].data?.draft ?? null])));
  }, [client, id, key]);
  useEffect(() => { setDrafts(null); load(); }, [load]);
  return { drafts, error, reload: load };
}
