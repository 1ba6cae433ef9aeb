import { describe, expect, it } from 'vitest';
import { parseTouchMessage, parseTouchReply, touchUrlOf, visitorsOfPresence } from './touchWire';

describe('the visitors wire, read at the boundary', () => {
  it('reads acks, refusals (id absent for a malformed touch) and participation; refuses the rest with a reason', () => {
    expect(parseTouchReply('{"type":"touch_ack","id":"a-1","seq":1043}')).toEqual({ ok: true, message: { type: 'touch_ack', id: 'a-1', seq: 1043 } });
    expect(parseTouchReply('{"type":"touch_refused","reason":"bad_message"}')).toMatchObject({ ok: true });
    expect(parseTouchReply('{"type":"participation","enabled":true}')).toEqual({ ok: true, message: { type: 'participation', enabled: true, stations: {} } });
    expect(parseTouchReply('{"type":"touch_refused","id":"a","reason":"because"}')).toMatchObject({ ok: false, detail: expect.stringMatching(/^reason/) });
    expect(parseTouchReply('nope')).toMatchObject({ ok: false, detail: expect.stringMatching(/^not JSON/) });
  });

  it('reads a /live touch and the visitors of a presence frame', () => {
    expect(parseTouchMessage('{"type":"touch","seq":5,"station":"chicago","chime":3,"v":0.8,"t":1}')).toMatchObject({ ok: true, message: { chime: 3 } });
    expect(parseTouchMessage('{"type":"touch","seq":5,"station":"chicago","chime":64,"v":0.8,"t":1}')).toMatchObject({ ok: false });
    expect(visitorsOfPresence('{"type":"presence","viewers":3,"visitors":2}')).toBe(2);
    expect(visitorsOfPresence('{"type":"presence","viewers":3}')).toBeUndefined();
    expect(visitorsOfPresence('{"type":"presence","viewers":3,"visitors":-1}')).toBeUndefined();
  });

  it('/touch sits beside /live', () => {
    expect(touchUrlOf('wss://relay.example/live')).toBe('wss://relay.example/touch');
    expect(touchUrlOf('ws://127.0.0.1:8080/live?since=3')).toBe('ws://127.0.0.1:8080/touch');
    expect(touchUrlOf('wss://relay.example/chimes/live')).toBe('wss://relay.example/chimes/touch');
  });
});
