import { describe, expect, it } from 'vitest';
import { VisitorPresence } from './visitorPresence';

describe('VisitorPresence', () => {
  it('counts addresses with a touch inside the window, each once', () => {
    const presence = new VisitorPresence(60_000);
    presence.touched('a', 0);
    presence.touched('b', 30_000);
    presence.touched('a', 40_000);
    expect(presence.count(50_000)).toBe(2);
    expect(presence.count(90_000)).toBe(1);
    expect(presence.count(100_000)).toBe(0);
  });
});
