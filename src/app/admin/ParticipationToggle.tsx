// The operator's switch for visitors playing the chimes, relay-wide (`GET/PUT /api/admin/participation`);
// each station's own switch is in its row. A relay without visitors' play says so instead.
import { useCallback, useEffect, useState } from 'react';
import { AdminError, adminClient } from './adminClient';

export function ParticipationToggle({ token, onError, onSaved }: { token: string; onError(error: unknown): void; onSaved(message: string): void }) {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const load = useCallback(async () => {
    try {
      setEnabled((await adminClient.participation(token)).enabled);
    } catch (error) {
      if (error instanceof AdminError && error.status === 404) setUnavailable(true);
      else onError(error);
    }
  }, [token, onError]);
  useEffect(() => void load(), [load]);

  if (unavailable) return <p className="hint">This relay does not let visitors play.</p>;
  const change = async (next: boolean) => {
    try {
      setEnabled((await adminClient.setParticipation(token, next)).enabled);
      onSaved(next ? 'Visitors may play again.' : 'Visitors are resting: nobody can play until you switch this back on.');
    } catch (error) {
      onError(error);
    }
  };
  return (
    <p>
      <label>
        <input type="checkbox" data-testid="participation" disabled={enabled === null} checked={enabled ?? false} onChange={(e) => void change(e.target.checked)} />{' '}
        Visitors may play the chimes (every station; each station can also be switched off in its row)
      </label>
    </p>
  );
}
