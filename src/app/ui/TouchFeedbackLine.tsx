// What became of the visitor's touch (sent, heard by everyone, or why not), or that visitors are
// resting: one polite status line under the chimes.
import { useVisitorState } from '../visitors/useVisitors';

export function TouchFeedbackLine({ resting, stationName }: { resting: boolean; stationName: string }) {
  const feedback = useVisitorState((s) => s.feedback);
  const restingEverywhere = useVisitorState((s) => !s.participation.enabled);
  // Reconnecting: the relay is gone for now, or it refuses this site's touches (TOUCH_ORIGINS).
  const unreachable = useVisitorState((s) => s.link === 'reconnecting');
  // Resting says so first: an older "heard" must not suggest that playing still works.
  const text = resting
    ? restingEverywhere
      ? 'Visitors are resting: playing is paused for now.'
      : `Visitors are resting at ${stationName}.`
    : (feedback?.text ?? (unreachable ? 'Cannot reach the relay to play right now.' : 'Tap a chime to play it for everyone listening.'));
  return (
    <p className="touch-feedback" role="status" data-testid="touch-feedback" data-state={resting ? 'resting' : (feedback?.state ?? 'idle')}>
      {text}
    </p>
  );
}
