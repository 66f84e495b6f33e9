/**
 * Deterministic pseudo-random numbers for the synthetic roster generator. No Math.random and no
 * clock: the same seed always gives the same sequence.
 */

/** 32-bit FNV-1a hash of a string, used to turn seeds and stream labels into PRNG states. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix32) so that similar labels give unrelated states
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: a small, fast 32-bit PRNG with good enough statistics for test data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one named stream of a seed (independent of other streams' draw counts). */
  static derive(seed: number | string, label: string): Rng {
    return new Rng(hash32(`${String(seed)}\u0000${label}`));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Index drawn with the given (non-negative) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** k distinct items (k capped at the list length), in draw order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const tmp = copy[i]!;
      copy[i] = copy[j]!;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }

  /** Fixed-width string of random decimal digits. */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }
}

/**
 * A bijection of [0, modulus) built from an affine map i -> (a*i + b) mod m, with a coprime to m.
 * Used to hand out unique identifiers without remembering which were used.
 */
export class Permutation {
  private readonly a: bigint;
  private readonly b: bigint;
  private readonly m: bigint;
  private readonly an: number;
  private readonly bn: number;
  /** a*i + b stays below 2^53: plain number arithmetic is exact. */
  private readonly small: boolean;

  constructor(
    readonly modulus: number,
    rng: Rng,
  ) {
    this.m = BigInt(modulus);
    let a = rng.int(1, modulus - 1);
    while (gcd(a, modulus) !== 1) a = (a + 1) % modulus || 1;
    const b = rng.int(0, modulus - 1);
    this.a = BigInt(a);
    this.b = BigInt(b);
    this.an = a;
    this.bn = b;
    this.small = a * (modulus - 1) + b <= Number.MAX_SAFE_INTEGER;
  }

  at(i: number): number {
    if (i < 0 || i >= this.modulus) throw new RangeError(`index ${i} outside [0, ${this.modulus})`);
    if (this.small) return (this.an * i + this.bn) % this.modulus;
    return Number((this.a * BigInt(i) + this.b) % this.m);
  }
}

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
