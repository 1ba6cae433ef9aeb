import { expect, it } from 'vitest';
import { relayUrlFrom } from './relayTransport';

it('uses /live on the page origin (wss on https) unless ?relay= names a ws(s) URL', () => {
  expect(relayUrlFrom(new URLSearchParams(''), { protocol: 'https:', host: 'a.example' })).toBe('wss://a.example/live');
  expect(relayUrlFrom(new URLSearchParams(''), { protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/live');
  expect(relayUrlFrom(new URLSearchParams('relay=wss://b.example/live'), { protocol: 'https:', host: 'a.example' })).toBe('wss://b.example/live');
  expect(relayUrlFrom(new URLSearchParams('relay=javascript:alert(1)'), { protocol: 'https:', host: 'a.example' })).toBe('wss://a.example/live');
});
