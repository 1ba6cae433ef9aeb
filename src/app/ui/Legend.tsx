// Which color and which pitch is which chime, for the station in view (or the first one).
import { pitchOf } from '../audio';
import { useLive } from '../store/useLive';
import { chimeColor } from '../store/visualSettings';

const NOTE_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];
export const noteName = (midi: number) => `${NOTE_NAMES[((midi % 12) + 12) % 12]}${Math.floor(midi / 12) - 1}`;

export function Legend() {
  const stations = useLive((s) => s.stations);
  const focus = useLive((s) => s.focusStation);
  const visual = useLive((s) => s.visual);
  const sound = useLive((s) => s.sound);
  const index = Math.max(0, stations.findIndex((s) => s.id === focus));
  const station = stations[index];
  return (
    <section aria-labelledby="legend-heading" className="panel-section">
      <h2 id="legend-heading">Chimes{station ? ` of ${station.name}` : ''}</h2>
      <ol className="legend">
        {Array.from({ length: station?.chimes ?? 6 }, (_, chime) => (
          <li key={chime}>
            <span className="swatch" style={{ background: chimeColor(visual, chime) }} aria-hidden="true" />
            chime {chime + 1} · {station ? noteName(pitchOf(sound, index, chime)) : '—'}
          </li>
        ))}
      </ol>
      <p className="hint">A circle is a strike: bigger is harder. Dashed grey: station offline.</p>
    </section>
  );
}
