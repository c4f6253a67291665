// Campaign state transitions as they happen: an EventSource on the server's
// live stream (GET /events?type=campaign.*), so a campaign turning LIVE,
// ending or being stopped shows without polling. The stream resumes on its
// own (EventSource reconnects with Last-Event-ID); a "changed" event
// naming a campaign (an edit) refreshes too.
import { useEffect, useRef, useState } from 'react';

export type LiveEvent = { type: string; key: string; at: string };

export function useCampaignStream(onEvent: (e: LiveEvent) => void): 'connecting' | 'open' | 'down' {
  const [state, setState] = useState<'connecting' | 'open' | 'down'>('connecting');
  const cb = useRef(onEvent);
  cb.current = onEvent;
  useEffect(() => {
    if (typeof EventSource === 'undefined') { setState('down'); return; }
    const es = new EventSource('/events?type=campaign.*,changed');
    const handle = (type: string) => (m: MessageEvent) => {
      try {
        const env = JSON.parse(m.data); // {id, type, timestamp, data}
        const key: string = env.data?.campaign?.key ?? '';
        if (type === 'changed' && !key) return;
        cb.current({ type, key, at: env.data?.at ?? env.timestamp ?? '' });
      } catch { /* a frame that is not JSON carries nothing for us */ }
    };
    for (const t of ['campaign.started', 'campaign.ended', 'campaign.stopped', 'changed']) es.addEventListener(t, handle(t));
    es.addEventListener('ready', () => setState('open'));
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'down' : 'connecting');
    return () => es.close();
  }, []);
  return state;
}
