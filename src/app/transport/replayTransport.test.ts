import { describe, expect, it } from 'vitest';
import { parseRecording } from './replayTransport';

const hello = JSON.stringify({
  type: 'hello', protocol: 1, epoch: 'e', seq: 0, now: 0, viewers: 2,
  stations: [{ id: 'tokyo', name: 'Tokyo', lat: 35.7, lon: 139.7, chimes: 5, online: false, lastSeen: null }],
});
const strike = (seq: number, t: number) => JSON.stringify({ type: 'strike', seq, station: 'tokyo', chime: 1, v: 0.5, t });

describe('parseRecording', () => {
  it('reads stations from the hello and strikes in time order', () => {
    const recording = parseRecording([hello, strike(2, 1300), strike(1, 1000), '{"type":"presence","viewers":3}', ''].join('\n'));
    expect(recording.stations.map((s) => [s.id, s.online])).toEqual([['tokyo', true]]);
    expect(recording.strikes.map((s) => s.seq)).toEqual([1, 2]);
    expect(recording.refused).toEqual([]);
  });

  it('names the lines it refuses and keeps the rest', () => {
    const recording = parseRecording([hello, 'garbage', strike(1, 5), '{"type":"strike","seq":2}'].join('\n'));
    expect(recording.strikes).toHaveLength(1);
    expect(recording.refused).toEqual([expect.stringMatching(/^line 2: /), expect.stringMatching(/^line 4: /)]);
  });
});
