// Every station: online state and live activity; choosing one shows it close up. Above them, the
// two views of all stations: the world map and the ensemble (every station's ring side by side).
import { useLive } from '../store/useLive';

export function StationList() {
  const stations = useLive((s) => s.stations);
  const activity = useLive((s) => s.activity);
  const focus = useLive((s) => s.focusStation);
  const setFocus = useLive((s) => s.setFocusStation);
  const view = useLive((s) => s.view);
  const setView = useLive((s) => s.setView);
  // Not live: what the list shows is the last known state, greyed rather than passed off as now.
  const stale = useLive((s) => s.connection.state !== 'live');
  let total = 0;
  for (const station in activity) total += activity[station]!.strikes;
  return (
    <section aria-labelledby="stations-heading" className="panel-section">
      <h2 id="stations-heading">Stations</h2>
      <ul className="stations" data-testid="station-list" data-stale={stale || undefined}>
        <li>
          <button type="button" className="station" aria-pressed={focus === null && view === 'world'} onClick={() => setView('world')}>
            <span className="station-name">Whole world</span>
          </button>
        </li>
        <li>
          <button type="button" className="station" aria-pressed={focus === null && view === 'ensemble'} onClick={() => setView('ensemble')}>
            <span className="station-name">All chimes side by side</span>
          </button>
        </li>
        {stations.map((station) => {
          const rate = activity[station.id]?.ratePerS ?? 0;
          return (
            <li key={station.id}>
              <button
                type="button"
                className="station"
                aria-pressed={focus === station.id}
                onClick={() => setFocus(focus === station.id ? null : station.id)}
              >
                <span className="online-dot" data-online={station.online} aria-hidden="true" />
                <span className="station-name">{station.name}</span>
                {station.simulated && (
                  <span className="station-badge" title="The relay simulates this station: modelled wind, not a real chime">
                    simulated
                  </span>
                )}
                <span className="station-rate">
                  {station.online ? `${rate.toFixed(1)}/s` : 'offline'}
                  <span className="visually-hidden">{station.online ? ' strikes per second' : ''}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {stations.some((station) => station.simulated) && (
        <p className="hint" data-testid="simulated-note">
          Stations marked <em>simulated</em> play a modelled wind, not real chimes.
        </p>
      )}
      <p className="hint">
        Strikes since you arrived: <span className="count" data-testid="strike-count">{total}</span>
      </p>
    </section>
  );
}
