import { describe, expect, it } from 'vitest';
import { stationConfigSchema } from './schema';
import { parseDeviceCapabilities } from './striker';
import { parseTouchRequest, parseTouchServerMessage } from './touch';

describe('parseTouchRequest', () => {
  it('reads a touch, v defaulting to 1', () => {
    expect(parseTouchRequest('{"type":"touch","id":"x1","station":"chicago","chime":2}')).toEqual({
      ok: true,
      touch: { type: 'touch', id: 'x1', station: 'chicago', chime: 2, v: 1 },
    });
  });

  it('refuses a frame over TOUCH_MAX_FRAME_BYTES as too_large before reading it', () => {
    const big = JSON.stringify({ type: 'touch', id: 'x', station: 'chicago', chime: 1, pad: 'é'.repeat(120) });
    expect(parseTouchRequest(big)).toMatchObject({ ok: false, reason: 'too_large' });
    expect(parseTouchRequest(big).ok === false && 'id' in parseTouchRequest(big)).toBe(false);
  });

  it('names the id of a malformed touch when it has a valid one, so the page can match the refusal', () => {
    expect(parseTouchRequest('{"type":"touch","id":"k","station":"chicago","chime":1,"v":3}')).toMatchObject({
      ok: false,
      reason: 'bad_message',
      id: 'k',
      detail: expect.stringContaining('v'),
    });
    const noId = parseTouchRequest('{"type":"touch","id":"bad id!","station":"chicago","chime":1}');
    expect(noId).toMatchObject({ ok: false, reason: 'bad_message' });
    expect(noId).not.toHaveProperty('id');
    expect(parseTouchRequest('[1,2')).toMatchObject({ ok: false, reason: 'bad_message', detail: expect.stringMatching(/^invalid JSON/) });
    expect(parseTouchRequest('null')).toMatchObject({ ok: false, reason: 'bad_message' });
  });
});

describe('parseTouchServerMessage', () => {
  it('reads acks, refusals and participation, and refuses unknown reasons', () => {
    expect(parseTouchServerMessage('{"type":"touch_ack","id":"a","seq":5}').ok).toBe(true);
    expect(parseTouchServerMessage('{"type":"touch_refused","id":"a","reason":"resting"}').ok).toBe(true);
    expect(parseTouchServerMessage('{"type":"participation","enabled":true,"stations":{"chicago":false}}').ok).toBe(true);
    expect(parseTouchServerMessage('{"type":"participation","enabled":true,"stations":{"chicago":true}}').ok).toBe(false);
    expect(parseTouchServerMessage('{"type":"touch_refused","id":"a","reason":"nope"}').ok).toBe(false);
  });
});

describe('striker configuration', () => {
  const station = { id: 'chicago', name: 'Chicago', lat: 0, lon: 0, chimes: 6, tokenSha256: 'a'.repeat(64) };

  it('accepts a stations-file striker with quiet hours in a real time zone', () => {
    const striker = { chimes: [0, 1], maxPerMinute: 20, minGapMs: 2000, quietHours: { from: '22:00', to: '08:00', tz: 'Europe/Berlin' } };
    expect(stationConfigSchema.safeParse({ ...station, striker, participation: false }).success).toBe(true);
  });

  it('refuses an unknown time zone, a bad clock time and equal from/to', () => {
    const striker = (quietHours: object) => ({ ...station, striker: { chimes: [0], maxPerMinute: 5, minGapMs: 0, quietHours } });
    expect(stationConfigSchema.safeParse(striker({ from: '22:00', to: '08:00', tz: 'Mars/Olympus' })).success).toBe(false);
    expect(stationConfigSchema.safeParse(striker({ from: '24:00', to: '08:00', tz: 'UTC' })).success).toBe(false);
    expect(stationConfigSchema.safeParse(striker({ from: '08:00', to: '08:00', tz: 'UTC' })).success).toBe(false);
  });

  it('tells a capabilities message from strikes and status', () => {
    expect(parseDeviceCapabilities('3,4')).toBeUndefined();
    expect(parseDeviceCapabilities('{"type":"status","firmware":"1","uptimeS":1,"reconnects":0,"strikesDropped":0}')).toBeUndefined();
    expect(parseDeviceCapabilities('{"type":"capabilities","striker":{"chimes":[1],"maxPerMinute":5,"minGapMs":10},"future":1}')).toEqual({
      ok: true,
      capabilities: { type: 'capabilities', striker: { chimes: [1], maxPerMinute: 5, minGapMs: 10 } },
    });
  });
});
