// Which color and which pitch is which chime. Close up: the chimes of the station in view, each with
// its note. On the world map and in the ensemble: the chime colors, and each station's key (every
// city plays in its own).
import { pitchOf } from '../audio';
import { stationRootMidi } from '../audio/pitch';
import { useLive } from '../store/useLive';
import { chimeColor } from '../store/visualSettings';

const NOTE_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];
export const noteName = (midi: number) => `${NOTE_NAMES[((midi % 12) + 12) % 12]}${Math.floor(midi / 12) - 1}`;
const SCALE_WORDS = { pentatonic: 'pentatonic', major: 'major', minor: 'minor', wholeTone: 'whole tone', custom: 'own scale' } as const;

export function Legend() {
  const stations = useLive((s) => s.stations);
  const focus = useLive((s) => s.focusStation);
  const visual = useLive((s) => s.visual);
  const sound = useLive((s) => s.sound);
  const index = stations.findIndex((s) => s.id === focus);
  const station = stations[index];
  const chimes = station?.chimes ?? Math.max(6, ...stations.map((s) => s.chimes));
  return (
    <section aria-labelledby="legend-heading" className="panel-section" data-testid="legend">
      <h2 id="legend-heading">{station ? `Chimes of ${station.name}` : 'Chimes of every station'}</h2>
      <ol className="legend">
        {Array.from({ length: chimes }, (_, chime) => (
          <li key={chime}>
            <span className="swatch" style={{ background: chimeColor(visual, chime) }} aria-hidden="true" />
            chime {chime + 1}
            {station ? ` · ${noteName(pitchOf(sound, index, chime))}` : ''}
          </li>
        ))}
      </ol>
      {!station && stations.length > 0 && (
        <>
          <h3 className="legend-subhead">Each station&apos;s key ({SCALE_WORDS[sound.scale]})</h3>
          <ul className="legend legend-keys" data-testid="legend-keys">
            {stations.map((s, i) => (
              <li key={s.id}>
                {s.name} · {noteName(stationRootMidi(sound, i))}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="hint">
        A circle is a strike: bigger is harder. Dashed grey: station offline.{station ? '' : ' Choose a station on the map to see and hear its chimes close up.'}
      </p>
    </section>
  );
}
