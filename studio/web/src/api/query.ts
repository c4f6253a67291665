// useQuery is urql's, except that when the network fails it keeps the last
// data it had (from this component or urql's cache) instead of dropping it:
// the page shows what it knew, the shell's banner says it is out of date.
// Every page imports useQuery from here.
import { useRef } from 'react';
import { useQuery as useUrqlQuery, type AnyVariables, type UseQueryArgs, type UseQueryResponse } from 'urql';

export function useQuery<Data = any, Variables extends AnyVariables = AnyVariables>(
  args: UseQueryArgs<Variables, Data>,
): UseQueryResponse<Data, Variables> {
  const [result, execute] = useUrqlQuery<Data, Variables>(args);
  const last = useRef<{ key: number; data: Data } | null>(null);
  if (result.data !== undefined && result.operation) last.current = { key: result.operation.key, data: result.data };
  const networkDown = !!result.error?.networkError && !result.error.graphQLErrors.length;
  if (result.data === undefined && networkDown && last.current && last.current.key === result.operation?.key) {
    return [{ ...result, data: last.current.data, stale: true }, execute];
  }
  return [result, execute];
}
