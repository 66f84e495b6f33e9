/**
 * How much room a text takes in a spreadsheet cell: its width in pixels in the workbook's font
 * (Calibri 11, whose metrics LibreOffice's Carlito shares), the lines it wraps to at a column
 * width, and the row height those lines need. The workbook writer sets every row's height with
 * `rowHeight` (spreadsheet apps do not auto-fit rows written by a streaming writer, nor merged
 * cells ever), and the tests check the written file with the same measure.
 *
 * Estimates err on the generous side (a row a little tall rather than text cut off).
 */

/** Advance widths of Calibri, in 1/1000 em, for the characters reports mostly use. */
const WIDTHS: Record<string, number> = {
  ' ': 226,
  a: 479,
  b: 525,
  c: 423,
  d: 525,
  e: 498,
  f: 305,
  g: 471,
  h: 525,
  i: 229,
  j: 239,
  k: 455,
  l: 229,
  m: 799,
  n: 525,
  o: 527,
  p: 525,
  q: 525,
  r: 349,
  s: 391,
  t: 335,
  u: 525,
  v: 452,
  w: 715,
  x: 433,
  y: 453,
  z: 395,
  A: 579,
  B: 544,
  C: 533,
  D: 615,
  E: 488,
  F: 459,
  G: 631,
  H: 623,
  I: 252,
  J: 319,
  K: 520,
  L: 420,
  M: 855,
  N: 646,
  O: 662,
  P: 517,
  Q: 673,
  R: 543,
  S: 459,
  T: 487,
  U: 642,
  V: 567,
  W: 890,
  X: 519,
  Y: 487,
  Z: 468,
  '.': 252,
  ',': 250,
  ':': 268,
  ';': 268,
  '-': 306,
  '(': 303,
  ')': 303,
  '/': 386,
  "'": 221,
  '"': 401,
  '%': 715,
  '&': 682,
  '@': 899,
  '|': 460,
  '!': 326,
  '?': 463,
  '*': 498,
};
/** Digits and any character not in the table (generous: wider than most letters). */
const DEFAULT_WIDTH = 560;

/** Pixels per point at 96 dpi. */
const PX_PER_PT = 96 / 72;
/** Points per line of 11 pt text, as Excel lays it out (LibreOffice needs less). */
export const LINE_HEIGHT_PT = 15;
/** Excel's largest row height. */
export const MAX_ROW_HEIGHT_PT = 409;
/** Pixels a cell keeps free at its edges. */
const CELL_PADDING_PX = 6;

export interface TextFont {
  /** Points; 11 when omitted. */
  size?: number;
  bold?: boolean;
}

/** WIDTHS by character code below 128 (a table lookup: Findings can have 100,000 rows). */
const ASCII = new Float64Array(128).fill(DEFAULT_WIDTH);
for (let c = 48; c <= 57; c++) ASCII[c] = 507;
for (const [ch, w] of Object.entries(WIDTHS)) ASCII[ch.charCodeAt(0)] = w;

/** Widths (1/1000 em) of short texts already measured: words and labels repeat row after row. */
const UNITS_CACHE = new Map<string, number>();
const CACHE_MAX_ENTRIES = 50_000;
const CACHE_MAX_LENGTH = 48;

function units(text: string): number {
  const short = text.length <= CACHE_MAX_LENGTH;
  if (short) {
    const known = UNITS_CACHE.get(text);
    if (known !== undefined) return known;
  }
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 128 ? ASCII[c]! : DEFAULT_WIDTH;
  }
  if (short) {
    if (UNITS_CACHE.size >= CACHE_MAX_ENTRIES) UNITS_CACHE.clear();
    UNITS_CACHE.set(text, n);
  }
  return n;
}

/** Width in pixels of one line of text. */
export function textWidthPx(text: string, font: TextFont = {}): number {
  const size = font.size ?? 11;
  return (units(text) / 1000) * size * PX_PER_PT * (font.bold ? 1.06 : 1);
}

/** Pixels of a column `width` characters wide (Excel's conversion for Calibri 11). */
export function columnPx(width: number): number {
  return Math.trunc(width * 7 + 5);
}

/** Pixels available to the text of a cell spanning columns of these widths. */
export function usablePx(widths: readonly number[]): number {
  return widths.reduce((n, w) => n + columnPx(w), 0) - CELL_PADDING_PX;
}

/**
 * Lines the text from `start` to `end` (one paragraph) takes wrapped at `px`: word by word, an
 * over-long word broken. Scans the characters once (no splitting: Findings has 100,000 rows).
 */
function paragraphLines(
  text: string,
  start: number,
  end: number,
  px: number,
  scale: number,
): number {
  const space = ASCII[32]! * scale;
  let lines = 1;
  let used = 0;
  let i = start;
  while (i < end) {
    // The next word.
    let w = 0;
    while (i < end && text.charCodeAt(i) === 32) i++;
    if (i >= end) break;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 32) break;
      w += (c < 128 ? ASCII[c]! : DEFAULT_WIDTH) * scale;
      i++;
    }
    if (used > 0 && used + space + w <= px) {
      used += space + w;
      continue;
    }
    if (used > 0) lines += 1;
    while (w > px) {
      lines += 1;
      w -= px;
    }
    used = w;
  }
  return lines;
}

/** Lines a text takes wrapped in a cell `px` pixels wide. */
export function wrappedLines(text: string, px: number, font: TextFont = {}): number {
  const scale = ((font.size ?? 11) / 1000) * PX_PER_PT * (font.bold ? 1.06 : 1);
  const width = Math.max(px, 1);
  let lines = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    lines += paragraphLines(text, start, end, width, scale);
    if (nl === -1) return lines;
    start = nl + 1;
  }
}

/** True when the text shows whole on one line of a cell `px` pixels wide. */
export function fitsOneLine(text: string, px: number, font: TextFont = {}): boolean {
  return !text.includes('\n') && textWidthPx(text, font) <= px;
}

/** Points per line of text of this font. */
export function lineHeight(font: TextFont = {}): number {
  const size = font.size ?? 11;
  return Math.ceil((size / 11) * LINE_HEIGHT_PT);
}

/** Row height in points for a wrapped text of this font in a cell `px` pixels wide. */
export function rowHeight(text: string, px: number, font: TextFont = {}): number {
  return Math.min(MAX_ROW_HEIGHT_PT, wrappedLines(text, px, font) * lineHeight(font));
}

/** Printable width of a page in pixels (US Letter, the narrower of Letter and A4, 0.4 in margins). */
export const PRINTABLE_PX = { portrait: (8.5 - 0.8) * 96, landscape: (11 - 0.8) * 96 } as const;
/** The smallest print scale the workbook allows. */
export const MIN_PRINT_SCALE = 0.6;

/** Print orientation and scale of a sheet fitted to one page wide. */
export function printLayout(widths: readonly number[]): {
  orientation: 'portrait' | 'landscape';
  scale: number;
} {
  const total = widths.reduce((n, w) => n + columnPx(w), 0);
  if (total <= PRINTABLE_PX.portrait) return { orientation: 'portrait', scale: 1 };
  return { orientation: 'landscape', scale: Math.min(1, PRINTABLE_PX.landscape / total) };
}
