// The closed side of the page at /admin: asks for the admin token (sessionStorage only), then lists
// stations with device health and edits them. Loaded lazily, so ordinary viewers never download it.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { AdminError, adminClient, storeToken, storedToken, type AdminStation } from './adminClient';
import { ParticipationToggle } from './ParticipationToggle';
import { StationRow } from './StationRow';
import './admin.css';

/** What a refused token gets: the relay's own 401 text is an HTTP header template, not an answer. */
export const WRONG_TOKEN_MESSAGE = "Wrong token: the relay did not accept it. Enter the relay's ADMIN_TOKEN.";

/** How often the station list (and health) refreshes. */
export const ADMIN_REFRESH_MS = 5_000;

export default function AdminApp() {
  const [token, setToken] = useState<string | null>(storedToken);
  const [stations, setStations] = useState<AdminStation[] | null>(null);
  const [message, setMessage] = useState<string>('');
  const [newToken, setNewToken] = useState<{ station: string; token: string } | null>(null);

  const fail = useCallback((error: unknown) => {
    if (error instanceof AdminError && error.status === 401) {
      storeToken(null);
      setToken(null);
      setMessage(WRONG_TOKEN_MESSAGE);
      return;
    }
    setMessage(error instanceof Error ? error.message : String(error));
  }, []);

  const refresh = useCallback(async () => {
    if (!token) return;
    try {
      setStations(await adminClient.list(token));
    } catch (error) {
      fail(error);
    }
  }, [token, fail]);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), ADMIN_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  if (!token) return <Login onToken={(t) => (storeToken(t), setMessage(''), setToken(t))} message={message} />;

  const act = (work: () => Promise<unknown>, done: string) => async () => {
    try {
      await work();
      setMessage(done);
      await refresh();
    } catch (error) {
      fail(error);
    }
  };

  return (
    <main className="admin">
      <h1>aeolian: stations</h1>
      <p className="admin-bar">
        <button type="button" onClick={() => (storeToken(null), setToken(null))}>
          Sign out
        </button>
        <span role="status" className="admin-message" data-testid="admin-message">
          {message}
        </span>
      </p>
      <ParticipationToggle token={token} onError={fail} onSaved={setMessage} />
      {newToken && (
        <p data-testid="new-token">
          New device token for <code>{newToken.station}</code> (shown once, copy it to the device now): <code>{newToken.token}</code>{' '}
          <button type="button" onClick={() => setNewToken(null)}>
            Done
          </button>
        </p>
      )}
      {stations === null ? (
        <p>Loading…</p>
      ) : (
        <div className="admin-table">
          <table>
            <thead>
              <tr>
                <th>id</th>
                <th>name</th>
                <th>edit</th>
                <th>state</th>
                <th>last heard</th>
                <th>last strike</th>
                <th>strikes/min</th>
                <th>dropped</th>
                <th>device health</th>
                <th>sound</th>
                <th>device</th>
              </tr>
            </thead>
            <tbody>
              {stations.map((station) => (
                <StationRow
                  key={`${station.id}:${station.name}:${station.lat}:${station.lon}:${station.chimes}:${station.particleId}`}
                  station={station}
                  onSave={(fields) => act(() => adminClient.update(token, station.id, fields), `Saved ${station.id}.`)()}
                  onRotate={act(async () => {
                    const rotated = await adminClient.rotate(token, station.id);
                    setNewToken({ station: station.id, token: rotated.token });
                  }, `Rotated the token of ${station.id}; its device was disconnected.`)}
                  onDisconnect={act(() => adminClient.disconnect(token, station.id), `Disconnected ${station.id}.`)}
                  onRemove={act(() => adminClient.remove(token, station.id), `Removed ${station.id}.`)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddStation
        onAdd={async (fields) => {
          try {
            const created = await adminClient.create(token, fields);
            setNewToken({ station: created.station.id, token: created.token });
            setMessage(`Added ${created.station.id}.`);
            await refresh();
          } catch (error) {
            fail(error);
          }
        }}
      />
    </main>
  );
}

function Login({ onToken, message }: { onToken(token: string): void; message: string }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onToken(value.trim());
  };
  return (
    <main className="admin">
      <h1>aeolian: admin</h1>
      <form onSubmit={submit} className="admin-login">
        <label className="admin-field">
          <span>Admin token</span>
          <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit" className="admin-primary">
          Sign in
        </button>
      </form>
      <p role="status" className="admin-message" data-testid="admin-message">
        {message}
      </p>
    </main>
  );
}

function AddStation({ onAdd }: { onAdd(fields: { id: string; name: string; lat: number; lon: number; chimes: number; muted: boolean; particleId: string | null }): Promise<void> }) {
  const [draft, setDraft] = useState({ id: '', name: '', lat: '', lon: '', chimes: '6', particleId: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onAdd({
      id: draft.id.trim(),
      name: draft.name,
      lat: Number(draft.lat),
      lon: Number(draft.lon),
      chimes: Number(draft.chimes),
      muted: false,
      particleId: draft.particleId.trim() || null,
    });
  };
  const field = (key: keyof typeof draft, label: string, hint?: string) => (
    <label className="admin-field">
      <span>{label}</span>
      <input aria-label={`new station ${label}`} placeholder={hint} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );
  return (
    <form onSubmit={submit} className="admin-add">
      <h2>Add a station</h2>
      <div className="admin-fields">
        {field('id', 'id', 'lima')}
        {field('name', 'name', 'Lima')}
        {field('lat', 'latitude', '-12.05')}
        {field('lon', 'longitude', '-77.04')}
        {field('chimes', 'chimes')}
        {field('particleId', 'Particle device id', 'optional')}
      </div>
      <button type="submit" className="admin-primary">
        Add
      </button>
    </form>
  );
}
