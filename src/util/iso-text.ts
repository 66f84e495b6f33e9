/**
 * Character tests for canonical date and time texts, without a Date: the roster parsers' fast
 * paths (src/roster/validate.ts) and the database's instant text (src/db/sql.ts dbInstant).
 */

/** Whether `s` is `len` ASCII digits from `from` (length of s not checked). */
export function digitsAt(s: string, from: number, len: number): boolean {
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function allDigits(s: string, len: number): boolean {
  return s.length === len && digitsAt(s, 0, len);
}

/** The digits at `from` as a number (the caller checked they are digits). */
function num(s: string, from: number, len: number): number {
  let n = 0;
  for (let i = from; i < from + len; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar date of the years a roster may hold, 1900 to 2199 (isRealDate without a Date). */
function realDay(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/** `YYYY-MM-DD` at the start of s, a real date of the years 1900 to 2199. */
export function isoDayAt(s: string): boolean {
  return (
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    digitsAt(s, 0, 4) &&
    digitsAt(s, 5, 2) &&
    digitsAt(s, 8, 2) &&
    realDay(num(s, 0, 4), num(s, 5, 2), num(s, 8, 2))
  );
}

/** `THH:MM:SS` at index 10 of s, a real time of day (not 24:00, no leap second). */
export function isoTimeAt(s: string): boolean {
  return (
    s.charCodeAt(10) === 84 &&
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58 &&
    digitsAt(s, 11, 2) &&
    digitsAt(s, 14, 2) &&
    digitsAt(s, 17, 2) &&
    num(s, 11, 2) <= 23 &&
    num(s, 14, 2) <= 59 &&
    num(s, 17, 2) <= 59
  );
}
