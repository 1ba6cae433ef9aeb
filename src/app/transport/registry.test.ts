import { describe, expect, it } from 'vitest';
import { createTransport, unknownSourceNotice } from './registry';

const location = { protocol: 'https:', host: 'chimes.example' };
const params = (query: string) => new URLSearchParams(query);

describe('transport registry', () => {
  it('picks the transport named by ?source=, relay by default', () => {
    expect(createTransport(params(''), location).label).toBe('relay');
    expect(createTransport(params('source=sim'), location).label).toBe('simulation');
    expect(createTransport(params('source=replay&url=x.ndjson'), location).label).toBe('replay');
  });

  it('says so when ?source= names nothing, and uses the relay', () => {
    expect(createTransport(params('source=weather'), location).label).toBe('relay');
    expect(unknownSourceNotice(params('source=weather'))).toMatch(/Unknown source "weather".*relay, sim, replay/);
    expect(unknownSourceNotice(params('source=sim'))).toBeNull();
  });
});
