// Presence of visitors: how many played a chime in the last minute (the relay counts them).
import { useLive } from '../store/useLive';

export function VisitorCount() {
  const visitors = useLive((s) => s.visitors);
  return (
    <span className="visitors" data-testid="visitors">
      {visitors ? `${visitors} ${visitors === 1 ? 'visitor' : 'visitors'} played in the last minute` : '\u00a0'}
    </span>
  );
}
