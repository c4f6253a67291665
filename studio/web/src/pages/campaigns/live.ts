// Campaign state transitions as they happen, from the server's live stream
// (GET /events?type=campaign.*,changed), so a campaign turning LIVE, ending
// or being stopped shows without polling. EventSource first (it reconnects
// by itself with Last-Event-ID); it cannot send the session's token, so
// where the stream needs a credential (public delivery off) and answers
// 401, the same stream is read with fetch and the Authorization header,
// resuming after the last id seen. A "changed" event naming a campaign (an
// edit) counts too.
import { useEffect, useRef, useState } from 'react';
import { authHeaders } from '../../api/client';

export type LiveEvent = { type: string; key: string; at: string };
type State = 'connecting' | 'open' | 'down';

const path = '/events?type=campaign.*,changed';
const types = ['campaign.started', 'campaign.ended', 'campaign.stopped', 'changed'];

// parseFrames splits an SSE text buffer into complete frames and the rest.
export function parseFrames(buf: string): { frames: { event: string; data: string; id: string }[]; rest: string } {
  const parts = buf.replace(/\r\n/g, '\n').split('\n\n');
  const rest = parts.pop() ?? '';
  const frames = parts.map((p) => {
    let event = 'message', id = '';
    const data: string[] = [];
    for (const line of p.split('\n')) {
      const i = line.indexOf(':');
      const [k, v] = i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1).replace(/^ /, '')];
      if (k === 'event') event = v; else if (k === 'data') data.push(v); else if (k === 'id') id = v;
    }
    return { event, data: data.join('\n'), id };
  });
  return { frames, rest };
}

export function toLive(type: string, data: string): LiveEvent | null {
  try {
    const env = JSON.parse(data); // {id, type, timestamp, data}
    const key: string = env.data?.campaign?.key ?? '';
    if (type === 'changed' && !key) return null;
    return { type, key, at: env.data?.at ?? env.timestamp ?? '' };
  } catch { return null; }
}

export function useCampaignStream(onEvent: (e: LiveEvent) => void): State {
  const [state, setState] = useState<State>('connecting');
  const cb = useRef(onEvent);
  cb.current = onEvent;
  useEffect(() => {
    let closed = false;
    let es: EventSource | null = null;
    const ctl = new AbortController();
    const emit = (type: string, data: string) => { const e = toLive(type, data); if (e) cb.current(e); };

    const viaFetch = async (lastId: string) => {
      while (!closed) {
        try {
          const res = await fetch(lastId ? `${path}&lastEventId=${lastId}` : path, { headers: authHeaders(), signal: ctl.signal });
          if (!res.ok || !res.body) { setState('down'); return; }
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const { frames, rest } = parseFrames(buf + value);
            buf = rest;
            for (const f of frames) {
              if (f.id) lastId = f.id;
              if (f.event === 'ready') setState('open');
              else if (types.includes(f.event)) emit(f.event, f.data);
            }
          }
        } catch { if (closed) return; }
        setState('connecting');
        await new Promise((r) => setTimeout(r, 2000)); // the server's suggested retry
      }
    };

    if (typeof EventSource === 'undefined') { void viaFetch(''); return () => { closed = true; ctl.abort(); }; }
    es = new EventSource(path);
    let opened = false;
    for (const t of types) es.addEventListener(t, (m) => emit(t, (m as MessageEvent).data));
    es.addEventListener('ready', () => { opened = true; setState('open'); });
    es.onerror = () => {
      if (!es) return;
      if (!opened && es.readyState === EventSource.CLOSED) { es = null; void viaFetch(''); return; }
      setState(es.readyState === EventSource.CLOSED ? 'down' : 'connecting');
    };
    return () => { closed = true; es?.close(); ctl.abort(); };
  }, []);
  return state;
}
