// Listen / mute and volume. Listen unlocks audio inside the click (see audio/listen.ts).
import { useLivePage } from '../page/LivePageProvider';
import { useLive } from '../store/useLive';

export function SoundControls() {
  const { listen } = useLivePage();
  const audio = useLive((s) => s.audio);
  const muted = useLive((s) => s.muted);
  const volume = useLive((s) => s.volume);
  const setMuted = useLive((s) => s.setMuted);
  const setVolume = useLive((s) => s.setVolume);
  const error = useLive((s) => s.audioError);
  const listening = audio === 'on';
  return (
    <div className="sound" role="group" aria-label="Sound">
      {listening ? (
        <button type="button" className="primary" aria-pressed={muted} onClick={() => setMuted(!muted)} data-testid="mute">
          {muted ? 'Unmute' : 'Mute'}
        </button>
      ) : (
        <button type="button" className="primary" onClick={listen} disabled={audio === 'starting'} data-testid="listen" title={error ?? undefined}>
          {audio === 'starting' ? 'Starting…' : 'Listen'}
        </button>
      )}
      <label className="volume">
        <span className="visually-hidden">Volume</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={volume}
          onChange={(event) => setVolume(Number(event.currentTarget.value))}
          aria-valuetext={`${Math.round(volume * 100)} percent`}
        />
      </label>
    </div>
  );
}
