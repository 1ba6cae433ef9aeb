// One station in the admin table: its health (what the relay sees and what the device reports), and
// a form to edit it. Text from the stations file is
// only ever rendered as React text (never as HTML).
import { useState, type FormEvent } from 'react';
import { stationParticipation, type AdminStation, type StationFields } from './adminClient';
import { DeviceHealthCell } from './DeviceHealthCell';
import { ago } from './healthText';

interface Props {
  station: AdminStation;
  onSave(fields: Partial<StationFields>): Promise<void>;
  onRotate(): Promise<void>;
  onDisconnect(): Promise<void>;
  onRemove(): Promise<void>;
}

export function StationRow({ station, onSave, onRotate, onDisconnect, onRemove }: Props) {
  const now = Date.now();
  const [draft, setDraft] = useState({
    name: station.name,
    lat: String(station.lat),
    lon: String(station.lon),
    chimes: String(station.chimes),
    particleId: station.particleId ?? '',
  });
  const save = (event: FormEvent) => {
    event.preventDefault();
    void onSave({
      name: draft.name,
      lat: Number(draft.lat),
      lon: Number(draft.lon),
      chimes: Number(draft.chimes),
      particleId: draft.particleId.trim() === '' ? null : draft.particleId.trim(),
    });
  };
  // Each field has its visible label; the accessible name adds the station, unique in the table.
  const field = (key: keyof typeof draft, label: string, size: number) => (
    <label className="admin-field">
      <span>{label}</span>
      <input aria-label={`${label} of ${station.id}`} size={size} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );
  return (
    <tr data-testid={`station-${station.id}`}>
      <td>
        <code>{station.id}</code>
        {station.simulated ? ' (simulated)' : ''}
      </td>
      <td data-testid="station-name">{station.name}</td>
      <td>
        <form onSubmit={save} className="admin-edit">
          {field('name', 'name', 16)}
          {field('lat', 'latitude', 6)}
          {field('lon', 'longitude', 6)}
          {field('chimes', 'chimes', 2)}
          {field('particleId', 'Particle device id', 14)}
          <button type="submit">Save</button>
        </form>
      </td>
      <td>
        {station.online ? 'online' : 'offline'}
        {station.connected ? ', socket' : ''}
      </td>
      <td>{ago(station.lastFrameAt ?? station.lastSeen, now)}</td>
      <td data-testid="last-strike">{ago(station.lastStrikeAt, now)}</td>
      <td>{station.strikesPerMin}</td>
      <td>{station.strikesDropped}</td>
      <DeviceHealthCell status={station.deviceStatus} now={now} />
      <td>
        {/* A toggle whose name never changes; pressed means muted, and the state is also in words. */}
        <button
          type="button"
          className="admin-toggle"
          aria-pressed={station.muted}
          aria-label={`Mute ${station.id}`}
          onClick={() => void onSave({ muted: !station.muted })}
        >
          Mute
        </button>{' '}
        <span className="admin-state" data-testid="sound-state" data-muted={station.muted}>
          {station.muted ? 'muted: its strikes reach no page' : 'on the pages'}
        </span>
        {/* Like Mute: pressed means visitors rest here (they may play by default). */}
        <button
          type="button"
          className="admin-toggle"
          aria-pressed={!stationParticipation(station)}
          aria-label={`Rest visitors at ${station.id}`}
          data-testid="participation-toggle"
          onClick={() => void onSave({ participation: !stationParticipation(station) })}
        >
          Rest visitors
        </button>{' '}
        <span className="admin-state" data-testid="participation-state" data-muted={!stationParticipation(station)}>
          {stationParticipation(station) ? 'visitors may play' : 'visitors resting here'}
        </span>
      </td>
      <td>
        <button type="button" onClick={() => void onRotate()}>
          Rotate token
        </button>{' '}
        <button type="button" onClick={() => void onDisconnect()} disabled={!station.connected}>
          Disconnect
        </button>{' '}
        <button type="button" onClick={() => window.confirm(`Remove station ${station.id}?`) && void onRemove()}>
          Remove
        </button>
      </td>
    </tr>
  );
}
