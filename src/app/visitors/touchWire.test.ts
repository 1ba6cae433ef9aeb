import { describe, expect, it } from 'vitest';
import { touchUrlOf } from './touchWire';

describe('touchUrlOf', () => {
  it('/touch sits beside /live, on the same host and scheme, without the resume query', () => {
    expect(touchUrlOf('wss://relay.example/live')).toBe('wss://relay.example/touch');
    expect(touchUrlOf('ws://127.0.0.1:8080/live?since=3')).toBe('ws://127.0.0.1:8080/touch');
    expect(touchUrlOf('wss://relay.example/chimes/live')).toBe('wss://relay.example/chimes/touch');
  });
});
