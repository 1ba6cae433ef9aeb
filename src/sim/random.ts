// Small seeded PRNG (sfc32) for the wind model: same seed, same sequence, in Node and the browser.
// The model never calls Math.random, so a seed reproduces a whole run.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, sd 1). */
  normal(): number;
  /** Exponential waiting time for an event rate `ratePerUnit` (same unit back); Infinity at rate 0. */
  exponential(ratePerUnit: number): number;
}

/** splitmix32: spreads one 32-bit seed over the four sfc32 state words. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up so nearby seeds give unrelated sequences from the first draw.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => nextUint32() / 4294967296;
  let spareNormal: number | null = null;
  return {
    next,
    normal() {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      // Box-Muller; 1 - next() is in (0, 1] so the log is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spareNormal = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    exponential(ratePerUnit) {
      if (!(ratePerUnit > 0)) return Infinity;
      return -Math.log(1 - next()) / ratePerUnit;
    },
  };
}

/** A 32-bit seed for one named stream (e.g. a station id), so streams do not depend on each other. */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0); // FNV-1a over the label, started from the seed
  for (let i = 0; i < label.length; i++) {
    hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
  return (hash ^ (hash >>> 12)) >>> 0;
}
