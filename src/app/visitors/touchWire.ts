// The visitors' wire as the page uses it: the protocol's own schemas and parsers
// (src/protocol/touch.ts, docs/protocol.md "Visitors"), and where /touch is. Pure.
import type { ParticipationMessage } from '../../protocol';

export { parseTouchServerMessage as parseTouchReply, TOUCH_REFUSAL_REASONS, type TouchRefusalReason, type TouchMessage } from '../../protocol';

/** What the relay says about who may play: off everywhere, or at the stations listed. */
export type Participation = Omit<ParticipationMessage, 'type'>;

/** The /touch endpoint beside a /live address (same host, same scheme). */
export function touchUrlOf(liveUrl: string): string {
  const url = new URL(liveUrl);
  url.pathname = url.pathname.replace(/\/live\/?$/, '/touch');
  if (!url.pathname.endsWith('/touch')) url.pathname = '/touch';
  url.search = '';
  return url.href;
}
