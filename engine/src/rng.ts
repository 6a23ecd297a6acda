// Seeded, counter-based randomness. Dropout masks and weight initialisation draw from a
// pure function of (seed, stream, index), so a value never depends on call order and a
// WGSL kernel can compute the same bits with u32 multiplies, xors and shifts. The mixer is
// "lowbias32" (Chris Wellons' hash prospector), applied in a chain over the three words.

/** One round of the lowbias32 integer hash on an unsigned 32-bit value. */
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x;
}

/** 32 random bits for (seed, stream, index); all three are taken modulo 2^32. */
export function hash3(seed: number, stream: number, index: number): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  h = mix32((h ^ (stream >>> 0)) >>> 0);
  return mix32((h ^ (index >>> 0)) >>> 0);
}

/** A uniform float in [0, 1) with 24 bits, exactly representable in float32. */
export function uniform01(seed: number, stream: number, index: number): number {
  return (hash3(seed, stream, index) >>> 8) / 16777216;
}

/** A sequential generator over the counter-based hash, for initialisers and shuffles. */
export class Rng {
  private counter = 0;
  constructor(
    readonly seed: number,
    readonly stream = 0,
  ) {}

  /** Uniform in [0, 1). */
  next(): number {
    return uniform01(this.seed, this.stream, this.counter++);
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A standard normal by Box-Muller. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
