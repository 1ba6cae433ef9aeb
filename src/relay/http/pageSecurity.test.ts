import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { pageContentSecurityPolicy } from './pageSecurity';

const frameAncestors = (url: string) =>
  /frame-ancestors ([^;]+)/.exec(pageContentSecurityPolicy({ url, headers: { host: 'relay.example' } } as IncomingMessage))?.[1];

describe('frame-ancestors of the page', () => {
  it('refuses framing of the full page and the admin page', () => {
    expect(frameAncestors('/')).toBe("'none'");
    expect(frameAncestors('/admin?embed')).toBe("'none'");
  });

  it('lets ?embed be framed by anyone, or by the ?parent= origin alone', () => {
    expect(frameAncestors('/?embed')).toBe('*');
    expect(frameAncestors('/?embed&parent=https://museum.example')).toBe("'self' https://museum.example");
  });

  it('agrees with the page on every ?parent= the page accepts: a trailing slash, case, a default port', () => {
    expect(frameAncestors('/?embed&parent=https://museum.example/')).toBe("'self' https://museum.example");
    expect(frameAncestors('/?embed&parent=HTTPS://Museum.Example:443')).toBe("'self' https://museum.example");
    expect(frameAncestors('/?embed&parent=http://[::1]:8080/')).toBe("'self' http://[::1]:8080");
  });

  it('never writes an invalid ?parent= into the header; the page then shows why and obeys no one', () => {
    for (const parent of ['https://museum.example;%20script-src%20*', 'https://a;b.example', 'https://museum.example/page', '*', 'javascript:alert(1)']) {
      const value = frameAncestors(`/?embed&parent=${parent}`);
      expect(value, parent).toBe('*');
    }
  });
});
