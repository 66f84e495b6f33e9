type Grows = Int32Array | Uint8Array | Float64Array;

/** A grown copy of a typed array (doubled, at least `need` long), its new slots `fill`. */
export function grown<T extends Grows>(a: T, need: number, fill = 0): T {
  const more = new (a.constructor as new (n: number) => T)(Math.max(a.length * 2, need));
  more.set(a);
  if (fill !== 0) more.fill(fill, a.length);
  return more;
}
