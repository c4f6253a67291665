import { describe, expect, it } from 'vitest';
import { parseFrames, toLive } from './live';

describe('the live stream reader', () => {
  it('splits complete frames and keeps the rest', () => {
    const { frames, rest } = parseFrames('retry: 2000\n\nevent: ready\ndata: {"lastEventId":"3"}\n\nid: 4\nevent: campaign.started\ndata: {"data":{"campaign":{"key":"bf"},"at":"2026-11-27T08:00:00Z"}}\n\nevent: heart');
    expect(frames.map((f) => f.event)).toEqual(['message', 'ready', 'campaign.started']);
    expect(frames[2].id).toBe('4');
    expect(rest).toBe('event: heart');
    expect(toLive('campaign.started', frames[2].data)).toEqual({ type: 'campaign.started', key: 'bf', at: '2026-11-27T08:00:00Z' });
  });
  it('ignores content changes that name no campaign, and garbage', () => {
    expect(toLive('changed', '{"data":{"action":"publishEntry"}}')).toBeNull();
    expect(toLive('campaign.ended', 'not json')).toBeNull();
  });
});
