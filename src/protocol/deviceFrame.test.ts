import { describe, expect, it } from 'vitest';
import { parseDeviceFrame } from './deviceFrame';

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
