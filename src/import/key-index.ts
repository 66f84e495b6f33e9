/**
 * The duplicate check of an import: the first row of each record key in the files of one kind
 * in one command, in bounded memory (national files have millions of rows).
 *
 * A key is remembered as a 53-bit hash in an open-addressing table over typed arrays (16 to 32
 * bytes per key, against about 150 bytes for a Map entry holding the key's string). Two keys with
 * the same hash are possible (about 1 in 10,000 for a million keys), so a hit is only a
 * candidate: the stage checks every candidate against the first row's stored key before it
 * counts it a duplicate (src/db/stage-snapshot.ts), and a false one is accepted after all.
 */

/** Open-addressing hash table over typed arrays, at most 3/4 full: key (> 0, exact) -> row. */
export class RowTable {
  private keys = new Float64Array(1 << 10);
  private rows = new Float64Array(1 << 10);
  private size = 0;

  /** The row stored for key, or undefined after storing row for it. */
  firstRow(key: number, row: number): number | undefined {
    let mask = this.keys.length - 1;
    let i = slot(key, mask);
    for (;;) {
      const k = this.keys[i]!;
      if (k === 0) break;
      if (k === key) return this.rows[i];
      i = (i + 1) & mask;
    }
    this.keys[i] = key;
    this.rows[i] = row;
    if (++this.size * 4 > this.keys.length * 3) {
      const oldKeys = this.keys;
      const oldRows = this.rows;
      this.keys = new Float64Array(oldKeys.length * 2);
      this.rows = new Float64Array(oldKeys.length * 2);
      mask = this.keys.length - 1;
      for (let j = 0; j < oldKeys.length; j++) {
        const k = oldKeys[j]!;
        if (k === 0) continue;
        let t = slot(k, mask);
        while (this.keys[t] !== 0) t = (t + 1) & mask;
        this.keys[t] = k;
        this.rows[t] = oldRows[j]!;
      }
    }
    return undefined;
  }

  /** Stores row for key, replacing the row stored for it (a Map's set). */
  set(key: number, row: number): void {
    const mask = this.keys.length - 1;
    let i = slot(key, mask);
    for (;;) {
      const k = this.keys[i]!;
      if (k === 0) break;
      if (k === key) {
        this.rows[i] = row;
        return;
      }
      i = (i + 1) & mask;
    }
    this.firstRow(key, row);
  }

  /** The row stored for key, if any (nothing is stored). */
  peek(key: number): number | undefined {
    const mask = this.keys.length - 1;
    let i = slot(key, mask);
    for (;;) {
      const k = this.keys[i]!;
      if (k === 0) return undefined;
      if (k === key) return this.rows[i];
      i = (i + 1) & mask;
    }
  }
}

function slot(key: number, mask: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

/**
 * A 53-bit hash (two 32-bit FNV-1a variants, never 0) of a record's key: its values at `at` (the
 * key columns of its row), with no key string built. Equal keys hash equal: text by its
 * characters, numbers and booleans by their text, NULL unlike any text; the values are kept
 * apart (("ab", "c") and ("a", "bc") differ).
 */
export function keyHash(
  values: readonly (string | number | boolean | null)[],
  at: readonly number[],
): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ at.length;
  for (let k = 0; k < at.length; k++) {
    const v = values[at[k]!];
    // After each value a mark no UTF-16 unit equals: 0x10000 for a NULL, 0x10001 for the end
    // of a value.
    let end = 0x10001;
    if (v === null || v === undefined) end = 0x10000;
    else {
      const s = typeof v === 'string' ? v : String(v);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 13;
      }
    }
    a = Math.imul(a ^ end, 0x01000193);
    b = Math.imul(b ^ end, 0x5bd1e995);
    b ^= b >>> 13;
  }
  const h = (a >>> 11) * 4294967296 + (b >>> 0);
  return h === 0 ? 1 : h;
}

/**
 * The pharmacies an import's references resolve against: NPI -> service type, as a Map would
 * hold them. A 10-digit NPI (every validated one) is looked up by its value in a RowTable: a
 * Map of 70,000 NPI strings cost 1.5-2 us a lookup on the loaded bench host (a cache miss for
 * the bucket, the entry and the key string each), the typed table about 0.4 us.
 */
export class KnownPharmacies {
  private readonly byValue = new RowTable();
  private readonly types: string[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly other = new Map<string, string>();

  constructor(entries: Iterable<readonly [string, string]> = []) {
    for (const [npi, serviceType] of entries) this.set(npi, serviceType);
  }

  set(npi: string, serviceType: string): void {
    const v = npiValue(npi);
    if (v === 0) {
      this.other.set(npi, serviceType);
      return;
    }
    let t = this.typeIndex.get(serviceType);
    if (t === undefined) {
      t = this.types.length;
      this.types.push(serviceType);
      this.typeIndex.set(serviceType, t);
    }
    this.byValue.set(v, t);
  }

  get(npi: string): string | undefined {
    const v = npiValue(npi);
    if (v === 0) return this.other.get(npi);
    const t = this.byValue.peek(v);
    return t === undefined ? undefined : this.types[t];
  }
}

/** A 10-digit string's value plus one (a RowTable key is never 0), else 0. */
function npiValue(s: string): number {
  if (s.length !== 10) return 0;
  let v = 0;
  for (let i = 0; i < 10; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return 0;
    v = v * 10 + d;
  }
  return v + 1;
}
