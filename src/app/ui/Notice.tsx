// What the viewer should know about the stream: an incompatible relay, a restart, lost strikes.
import { useLive } from '../store/useLive';

export function Notice() {
  const connection = useLive((s) => s.connection);
  const notice = useLive((s) => s.notice);
  const dismiss = useLive((s) => s.dismissNotice);
  const text = connection.state === 'offline' ? connection.reason : notice;
  return (
    <div className="notice" role="status" data-testid="notice" hidden={!text}>
      <span>{text}</span>
      {connection.state !== 'offline' && text && (
        <button type="button" className="link" onClick={dismiss} aria-label="Dismiss notice">
          ×
        </button>
      )}
    </div>
  );
}
