// The room the chimes ring in: a convolution reverb on a generated impulse response (decaying
// stereo noise, darker as it fades). A new room size builds a new response and crossfades to it,
// so turning the knob never clicks. Owns its Tone nodes; dispose() releases them.
import * as Tone from 'tone';

/** Crossfade between the old and the new room when the size changes, seconds. */
export const ROOM_CROSSFADE_S = 0.3;
/** Time constant of parameter ramps (mix), seconds: fast enough to feel instant, no zipper noise. */
export const PARAM_RAMP_S = 0.03;

interface Room {
  convolver: ConvolverNode;
  level: Tone.Gain;
}

export class ChimeReverb {
  readonly input: Tone.Gain;
  readonly output: Tone.Gain;
  private room: Room;
  private sizeS: number;
  private readonly retired = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly context: Tone.BaseContext,
    sizeS: number,
    mix: number,
  ) {
    this.input = new Tone.Gain({ context });
    this.output = new Tone.Gain({ context, gain: mix });
    this.sizeS = sizeS;
    this.room = this.buildRoom(sizeS, 1);
  }

  set(sizeS: number, mix: number): void {
    this.output.gain.setTargetAtTime(mix, this.context.currentTime, PARAM_RAMP_S);
    if (Math.abs(sizeS - this.sizeS) < 0.05) return;
    this.sizeS = sizeS;
    const old = this.room;
    const now = this.context.currentTime;
    this.room = this.buildRoom(sizeS, 0);
    this.room.level.gain.linearRampTo(1, ROOM_CROSSFADE_S, now);
    old.level.gain.linearRampTo(0, ROOM_CROSSFADE_S, now);
    // The old tail is faded out: release it once the crossfade is done.
    const timer = setTimeout(() => {
      this.retired.delete(timer);
      this.release(old);
    }, ROOM_CROSSFADE_S * 1000 + 100);
    this.retired.add(timer);
  }

  dispose(): void {
    for (const timer of this.retired) clearTimeout(timer);
    this.retired.clear();
    this.release(this.room);
    this.input.dispose();
    this.output.dispose();
  }

  private buildRoom(sizeS: number, level: number): Room {
    const convolver = this.context.createConvolver();
    convolver.normalize = false;
    convolver.buffer = impulseResponse(this.context, sizeS);
    const gain = new Tone.Gain({ context: this.context, gain: level });
    this.input.connect(convolver);
    Tone.connect(convolver, gain);
    gain.connect(this.output);
    return { convolver, level: gain };
  }

  private release(room: Room): void {
    this.input.disconnect(room.convolver);
    room.convolver.disconnect();
    room.level.dispose();
  }
}

/** Stereo noise falling 60 dB over `sizeS`, high end dying twice as fast, scaled to unit energy. */
function impulseResponse(context: Tone.BaseContext, sizeS: number): AudioBuffer {
  const rate = context.sampleRate;
  const length = Math.max(1, Math.round(sizeS * rate));
  const buffer = context.createBuffer(2, length, rate);
  const k = Math.log(1000) / (sizeS * rate);
  for (let ch = 0; ch < 2; ch++) {
    const data = buffer.getChannelData(ch);
    let lowpassed = 0;
    let energy = 0;
    for (let i = 0; i < length; i++) {
      const noise = Math.random() * 2 - 1;
      // One-pole lowpass whose cutoff falls along the tail: a room absorbs highs first.
      const smoothing = Math.min(0.95, (i / length) * 0.95);
      lowpassed = lowpassed * smoothing + noise * (1 - smoothing);
      const sample = lowpassed * Math.exp(-k * i);
      data[i] = sample;
      energy += sample * sample;
    }
    const scale = 1 / Math.sqrt(energy || 1);
    for (let i = 0; i < length; i++) data[i]! *= scale;
  }
  return buffer;
}
