// useQuery is urql's, except that when the API cannot answer (the network
// fails, or the server says SERVICE_UNAVAILABLE) it keeps the last data it
// had (from this component or urql's cache) instead of dropping it, and
// asks again once the API is back: the page shows what it knew, the shell's
// banner says it is out of date, and nobody has to reload. Every page
// imports useQuery from here.
import { useEffect, useRef } from 'react';
import { useQuery as useUrqlQuery, type AnyVariables, type CombinedError, type UseQueryArgs, type UseQueryResponse } from 'urql';
import { useApiStatus } from './status';

// unavailable: an error that says nothing about the request itself.
export function unavailable(err: CombinedError | undefined): boolean {
  if (!err) return false;
  if (err.networkError && !err.graphQLErrors.length) return true;
  return err.graphQLErrors.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
}

export function useQuery<Data = any, Variables extends AnyVariables = AnyVariables>(
  args: UseQueryArgs<Variables, Data>,
): UseQueryResponse<Data, Variables> {
  const [result, execute] = useUrqlQuery<Data, Variables>(args);
  const last = useRef<{ key: number; data: Data } | null>(null);
  if (result.data !== undefined && result.operation) last.current = { key: result.operation.key, data: result.data };
  const down = unavailable(result.error);
  const api = useApiStatus();
  const wasUp = useRef(api.up);
  useEffect(() => {
    if (api.up && !wasUp.current && down && !args.pause) execute({ requestPolicy: 'network-only' });
    wasUp.current = api.up;
  }, [api.up, down, args.pause, execute]);
  if (result.data === undefined && down && last.current && last.current.key === result.operation?.key) {
    return [{ ...result, data: last.current.data, stale: true }, execute];
  }
  return [result, execute];
}
