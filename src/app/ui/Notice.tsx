// What the viewer should know about the stream: an incompatible relay, a relay this page cannot
// reach, a restart, lost strikes, an address option it cannot honour.
import { useLive } from '../store/useLive';

export function Notice() {
  const connection = useLive((s) => s.connection);
  const notice = useLive((s) => s.notice);
  const dismiss = useLive((s) => s.dismissNotice);
  // The link's own state is not dismissable: it stays true until the link changes.
  const linkReason = connection.state === 'offline' || (connection.state === 'reconnecting' && connection.unreachable) ? connection.reason : null;
  const text = linkReason ?? notice;
  return (
    <div className="notice" role="status" data-testid="notice" hidden={!text}>
      <span>{text}</span>
      {!linkReason && text && (
        <button type="button" className="link" onClick={dismiss} aria-label="Dismiss notice">
          ×
        </button>
      )}
    </div>
  );
}
