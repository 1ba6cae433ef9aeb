// The operator's switch for visitors playing the chimes, relay-wide (`GET/PUT /api/admin/participation`);
// each station's own switch is in its row. A toggle like a station's Mute: pressed means visitors rest.
// A relay without visitors' play says so instead.
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

  if (unavailable) return <p className="admin-state">This relay does not let visitors play.</p>;
  const change = async (next: boolean) => {
    try {
      setEnabled((await adminClient.setParticipation(token, next)).enabled);
      onSaved(next ? 'Visitors may play again.' : 'Visitors are resting: nobody can play until you switch this back.');
    } catch (error) {
      onError(error);
    }
  };
  return (
    <p>
      <button
        type="button"
        className="admin-toggle"
        aria-pressed={enabled === false}
        disabled={enabled === null}
        data-testid="participation"
        onClick={() => void change(enabled === false)}
      >
        Rest visitors everywhere
      </button>{' '}
      <span className="admin-state" data-testid="participation-everywhere" data-muted={enabled === false}>
        {enabled === null ? '…' : enabled ? 'visitors may play the chimes (each station can be rested in its row)' : 'visitors are resting: nobody can play'}
      </span>
    </p>
  );
}
