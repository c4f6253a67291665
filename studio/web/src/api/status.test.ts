import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeEveryMs, setApiStatus } from './status';
import { renderHook, act } from '@testing-library/react';
import { useApiStatus } from './status';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the API status', () => {
  it('probes /healthz while the API is down and says when it is back', async () => {
    vi.useFakeTimers();
    const answers = [new Error('connection refused'), new Response('', { status: 503 }), new Response('ok')];
    const fetch = vi.fn(async () => {
      const a = answers.shift();
      if (a instanceof Error) throw a;
      return a;
    });
    vi.stubGlobal('fetch', fetch);
    const { result } = renderHook(() => useApiStatus());
    act(() => setApiStatus(false, 'Failed to fetch'));
    expect(result.current.up).toBe(false);
    expect(fetch).not.toHaveBeenCalled();

    await act(() => vi.advanceTimersByTimeAsync(probeEveryMs));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith('/healthz', { cache: 'no-store' });
    expect(result.current.up).toBe(false);
    await act(() => vi.advanceTimersByTimeAsync(probeEveryMs));
    expect(result.current.up).toBe(false); // a 503 is not back
    await act(() => vi.advanceTimersByTimeAsync(probeEveryMs));
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(result.current.up).toBe(true);

    // Up again: no more probing.
    await act(() => vi.advanceTimersByTimeAsync(5 * probeEveryMs));
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('probes once at a time however often a request fails', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(async () => new Response('ok'));
    vi.stubGlobal('fetch', fetch);
    act(() => { setApiStatus(false, 'a'); setApiStatus(false, 'b'); setApiStatus(false, 'c'); });
    await act(() => vi.advanceTimersByTimeAsync(probeEveryMs));
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
