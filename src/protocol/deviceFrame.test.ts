import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeviceFrame, parseDeviceMessage } from './deviceFrame';
import { MAX_DEVICE_STATUS_BYTES } from './limits';

describe('parseDeviceFrame', () => {
  it('fills defaults: v 1, age 0', () => {
    expect(parseDeviceFrame('{"chime":2}', 6)).toEqual({ ok: true, strikes: [{ chime: 2, v: 1, age: 0 }] });
    expect(parseDeviceFrame('2', 6)).toEqual({ ok: true, strikes: [{ chime: 2, v: 1, age: 0 }] });
  });

  it('reads compact items with velocity and age, across commas and newlines', () => {
    const result = parseDeviceFrame('3,1:0.5@120\r\n0@7', 6);
    expect(result).toEqual({
      ok: true,
      strikes: [
        { chime: 3, v: 1, age: 0 },
        { chime: 1, v: 0.5, age: 120 },
        { chime: 0, v: 1, age: 7 },
      ],
    });
  });

  it('refuses the whole frame for one bad item and says which', () => {
    const result = parseDeviceFrame('[{"chime":1},{"chime":9}]', 6);
    expect(result).toEqual({ ok: false, detail: 'item 1: chime 9 is out of range 0..5' });
    const compact = parseDeviceFrame('1,2,oops', 6);
    expect(compact.ok).toBe(false);
    expect(!compact.ok && compact.detail).toContain('item 2');
  });

  it('names the field that is wrong in JSON', () => {
    const result = parseDeviceFrame('{"chime":1,"v":"loud"}', 6);
    expect(!result.ok && result.detail).toMatch(/^v: /);
  });

  it('refuses empty frames', () => {
    expect(parseDeviceFrame('  ', 6).ok).toBe(false);
    expect(parseDeviceFrame(',,', 6).ok).toBe(false);
    expect(parseDeviceFrame('[]', 6).ok).toBe(false);
  });
});

const STATUS = '{"type":"status","firmware":"0.1.0","uptimeS":3600,"rssiDbm":-61,"reconnects":2,"strikesDropped":0}';

describe('resend marks', () => {
  it('reads a mark first in a compact frame: the boot and the position of its first strike', () => {
    expect(parseDeviceFrame('#9f3a/1207\n3,1:0.5@120', 6)).toEqual({
      ok: true,
      strikes: [
        { chime: 3, v: 1, age: 0 },
        { chime: 1, v: 0.5, age: 120 },
      ],
      mark: { boot: '9f3a', position: 1207 },
    });
    expect(parseDeviceFrame('#ffffffff/4294967295,2', 6)).toMatchObject({ ok: true, mark: { boot: 'ffffffff', position: 4_294_967_295 } });
    expect(parseDeviceMessage('#1/0\n2', 6)).toEqual({ ok: true, kind: 'strikes', strikes: [{ chime: 2, v: 1, age: 0 }], mark: { boot: '1', position: 0 } });
  });

  it('refuses a malformed mark, one out of place, or a mark with no strikes, and says why', () => {
    expect(parseDeviceFrame('#9F3A/1\n2', 6)).toMatchObject({ ok: false, detail: expect.stringMatching(/not a resend mark #<boot: 1-8 hex digits>/) });
    expect(parseDeviceFrame('#123456789/1\n2', 6)).toMatchObject({ ok: false, detail: expect.stringMatching(/not a resend mark/) });
    expect(parseDeviceFrame('#9f3a/4294967296\n2', 6)).toMatchObject({ ok: false, detail: expect.stringMatching(/position: 0\.\.4294967295/) });
    expect(parseDeviceFrame('2,#9f3a/1', 6)).toEqual({ ok: false, detail: 'item 1: a resend mark must come first in the frame' });
    expect(parseDeviceFrame('#9f3a/1', 6)).toEqual({ ok: false, detail: 'no strikes in frame' });
  });
});

describe('parseDeviceMessage', () => {
  it('reads a device status', () => {
    expect(parseDeviceMessage(STATUS, 6)).toEqual({
      ok: true,
      kind: 'status',
      status: { type: 'status', firmware: '0.1.0', uptimeS: 3600, rssiDbm: -61, reconnects: 2, strikesDropped: 0 },
    });
  });

  it('passes strike frames through, in every format', () => {
    expect(parseDeviceMessage('3,1:0.5@120', 6)).toEqual({ ok: true, kind: 'strikes', strikes: [{ chime: 3, v: 1, age: 0 }, { chime: 1, v: 0.5, age: 120 }] });
    expect(parseDeviceMessage('{"chime":2}', 6)).toEqual({ ok: true, kind: 'strikes', strikes: [{ chime: 2, v: 1, age: 0 }] });
    expect(parseDeviceMessage('[{"chime":9}]', 6).ok).toBe(false);
  });

  it('ignores fields a newer firmware may add, and an absent signal strength', () => {
    const result = parseDeviceMessage('{"type":"status","firmware":"2.0.0-rc.1+abc","uptimeS":0,"reconnects":0,"strikesDropped":7,"batteryMv":3700}', 6);
    expect(result).toEqual({ ok: true, kind: 'status', status: { type: 'status', firmware: '2.0.0-rc.1+abc', uptimeS: 0, reconnects: 0, strikesDropped: 7 } });
  });

  it('refuses a bad status and names the field', () => {
    const bad = (patch: Record<string, unknown>) => parseDeviceMessage(JSON.stringify({ ...JSON.parse(STATUS), ...patch }), 6);
    expect(bad({ firmware: 'a b' })).toMatchObject({ ok: false, detail: expect.stringMatching(/^firmware: /) });
    expect(bad({ firmware: 'x'.repeat(33) }).ok).toBe(false);
    expect(bad({ rssiDbm: 5 })).toMatchObject({ ok: false, detail: expect.stringMatching(/^rssiDbm: /) });
    expect(bad({ uptimeS: -1 }).ok).toBe(false);
    expect(bad({ reconnects: 2 ** 32 }).ok).toBe(false);
    expect(bad({ strikesDropped: 1.5 }).ok).toBe(false);
    expect(bad({ type: 'weather' }).ok).toBe(false);
    expect(parseDeviceMessage(`{"type":"status","pad":"${'x'.repeat(MAX_DEVICE_STATUS_BYTES)}"}`, 6)).toMatchObject({ ok: false, detail: expect.stringContaining('bytes') });
  });

  it('a relay still on parseDeviceFrame refuses a status frame (why firmware keeps it off by default)', () => {
    expect(parseDeviceFrame(STATUS, 6).ok).toBe(false);
  });
});

describe('every device-status example in docs/protocol.md', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```device-status (ok|refused)\n([\s\S]*?)\n```/g)].map((m) => ({ expected: m[1]!, body: m[2]! }));

  it('is found (ok and refused examples)', () => {
    expect(blocks.filter((b) => b.expected === 'ok').length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => b.expected === 'refused').length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((b) => [`${b.expected}: ${b.body.slice(0, 60)}`, b] as const))('%s', (_name, block) => {
    const result = parseDeviceMessage(block.body, 6);
    expect(result.ok && result.kind === 'status').toBe(block.expected === 'ok');
  });
});
