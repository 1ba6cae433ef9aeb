// How many people watch now; hidden while the link is down, since a count from then would be stale.
import { useLive } from '../store/useLive';

export function ListenerCount() {
  const viewers = useLive((s) => s.viewers);
  const live = useLive((s) => s.connection.state === 'live');
  return (
    <span className="listeners" data-testid="listeners" hidden={!live || viewers === null}>
      {viewers === null ? '\u00a0' : `${viewers} listening`}
    </span>
  );
}
