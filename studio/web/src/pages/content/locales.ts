// The project's locales and their fallback chains (the locales query),
// fetched once per session; until they answer, the default is "en".
import { useQuery } from '../../api/query';
import { doc, graphql } from '../../api/doc';

const LocalesDoc = doc(graphql(`
  query Locales { locales { default supported { code fallbackChain } } }
`));

export type Locales = { default: string; supported: { code: string; fallbackChain: string[] }[] };

export function useLocales(): Locales {
  const [{ data }] = useQuery({ query: LocalesDoc, requestPolicy: 'cache-first' });
  return data?.locales ?? { default: 'en', supported: [{ code: 'en', fallbackChain: ['en'] }] };
}
