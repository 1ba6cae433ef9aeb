import { describe, expect, it } from 'vitest';
import { TEST_TOKENS, testRelay } from '../../test/support/relayFixture';
import { device, record } from '../../test/support/wsClient';

function metricValue(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} not in /metrics`);
  return Number(match[1]);
}

describe('GET /metrics', () => {
  it('counts viewers, devices, accepted, refused and rate-limited strikes, and times each broadcast', async () => {
    const relay = await testRelay();
    const viewer = await record(relay.ws('/live?since=0&epoch=old'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send('1,2,3');
    chicago.socket.send('{"chime":99}');
    chicago.socket.send(Array.from({ length: 120 }, () => '1').join(','));
    await viewer.waitFor(() => viewer.strikes().length >= 100);

    const response = await fetch(`${relay.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(metricValue(text, 'aeolian_viewers')).toBe(1);
    expect(metricValue(text, 'aeolian_devices')).toBe(1);
    expect(metricValue(text, 'aeolian_strikes_accepted_total')).toBe(100);
    expect(metricValue(text, 'aeolian_strikes_rate_limited_total')).toBe(23);
    expect(metricValue(text, 'aeolian_device_frames_refused_total')).toBe(1);
    expect(metricValue(text, 'aeolian_resume_requests_total')).toBe(1);
    expect(metricValue(text, 'aeolian_slow_viewer_closes_total')).toBe(0);
    expect(metricValue(text, 'aeolian_broadcast_duration_seconds_count')).toBeGreaterThan(0);
    expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(1e6);
  });
});
