import { describe, expect, it } from 'vitest';
import { embedParentOrigin } from './embedParent';

describe('embedParentOrigin', () => {
  it('reads an origin as browsers write it, with or without a trailing slash', () => {
    expect(embedParentOrigin('https://museum.example')).toBe('https://museum.example');
    expect(embedParentOrigin('https://museum.example/')).toBe('https://museum.example');
    expect(embedParentOrigin('HTTPS://Museum.Example:443/')).toBe('https://museum.example');
    expect(embedParentOrigin('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(embedParentOrigin('http://[::1]:8080')).toBe('http://[::1]:8080');
  });

  it('refuses anything that is not an http(s) origin, and anything that could break a header', () => {
    for (const raw of [
      '',
      '*',
      'museum.example',
      'https://museum.example/page',
      'https://museum.example//',
      'https://museum.example?x',
      'https://user@museum.example',
      'https://museum.example; script-src *',
      'https://a;b.example',
      "https://a'b.example",
      'https://museum.example:99999',
      'ftp://museum.example',
      'javascript:alert(1)',
      'https://[not-ipv6]',
    ]) {
      expect(embedParentOrigin(raw), raw).toBeUndefined();
    }
  });
});
