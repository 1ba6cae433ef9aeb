// `?embed&parent=<origin>`: the one reading of who may frame and command an embed, shared by the
// page (whose messages it obeys) and the relay (its CSP frame-ancestors), so the two never disagree.
// Pure: no I/O.

/** scheme://host[:port] with an optional trailing slash; host a DNS name, IPv4 or bracketed IPv6. */
const ORIGIN_SYNTAX = /^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?\/?$/i;

/**
 * The origin `raw` names, serialized as browsers do (`https://museum.example`: lower case, default
 * port dropped), or undefined if it is not an http(s) origin. The syntax check comes first because
 * the URL parser accepts hosts like `a;b.org` that must never reach a header.
 */
export function embedParentOrigin(raw: string): string | undefined {
  if (!ORIGIN_SYNTAX.test(raw)) return undefined;
  try {
    const origin = new URL(raw).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined; // a port over 65535, an IPv6 address that is not one
  }
}
