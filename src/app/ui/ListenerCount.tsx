import { useLive } from '../store/useLive';

export function ListenerCount() {
  const viewers = useLive((s) => s.viewers);
  return (
    <span className="listeners" data-testid="listeners">
      {viewers === null ? '\u00a0' : `${viewers} listening`}
    </span>
  );
}
