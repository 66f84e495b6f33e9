/** Calendar helpers. Nothing here reads the clock. */
import type { IsoDate, IsoInstant } from '../domain/types.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const formatterCache = new Map<string, Intl.DateTimeFormat>();

/** The one wall-clock formatter per zone (throws RangeError for an unknown zone). */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatterCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatterCache.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock time in `timeZone` at instant `utcMs`, as the UTC fields of the returned epoch
 * ms (to the second).
 */
export function wallClockMs(utcMs: number, timeZone: string): number {
  const floored = Math.floor(utcMs / 1000) * 1000;
  return floored + bucketOffsetMs(floored, timeZone);
}

const DAY_MS = 86_400_000;
/** Per zone and UTC day: the zone's offset all that day, or NaN when it changes during the day. */
const dayOffsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset at `utcMs` (floored to the second). A day whose offset is the same at its
 * start and at its end is read once (zones change offset at most twice a year, never twice in a
 * day); on the days a zone changes, each instant is formatted. An audit asks for the days of
 * many coverage requests: formatting each one (Intl's formatToParts) was most of the national
 * audit's time before this cache.
 */
function bucketOffsetMs(utcMs: number, timeZone: string): number {
  let zone = dayOffsets.get(timeZone);
  if (!zone) dayOffsets.set(timeZone, (zone = new Map<number, number>()));
  const day = Math.floor(utcMs / DAY_MS);
  let offset = zone.get(day);
  if (offset === undefined) {
    const start = day * DAY_MS;
    const atStart = formattedWallClockMs(start, timeZone) - start;
    const atEnd = formattedWallClockMs(start + DAY_MS, timeZone) - (start + DAY_MS);
    offset = atStart === atEnd ? atStart : Number.NaN;
    if (zone.size > 100_000) zone.clear();
    zone.set(day, offset);
  }
  return Number.isNaN(offset) ? formattedWallClockMs(utcMs, timeZone) - utcMs : offset;
}

function formattedWallClockMs(utcMs: number, timeZone: string): number {
  const parts = zoneFormatter(timeZone).formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? '0');
  return Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
}

/** Offset of `timeZone` from UTC at instant `utcMs`, in milliseconds (east positive). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  return wallClockMs(utcMs, timeZone) - Math.floor(utcMs / 1000) * 1000;
}

/**
 * UTC epoch ms of a wall-clock time (given as UTC fields of `wallMs`) in an IANA time zone.
 * Ambiguous times (clocks going back) take the earlier instant; times skipped by a spring-forward
 * gap are moved forward by the gap (the "compatible" rule of Temporal).
 */
export function wallTimeToUtcMs(wallMs: number, timeZone: string): number {
  const before = zoneOffsetMs(wallMs - 86_400_000, timeZone);
  const after = zoneOffsetMs(wallMs + 86_400_000, timeZone);
  const candidates = [...new Set([before, after])]
    .map((o) => wallMs - o)
    .filter((t) => wallMs - zoneOffsetMs(t, timeZone) === t)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  return wallMs - before;
}

/** The instant a local wall-clock time in a zone happens (wallTimeToUtcMs's DST rule). */
export function zonedToInstant(date: IsoDate, time: string, timeZone: string): IsoInstant {
  return new Date(wallTimeToUtcMs(Date.parse(`${date}T${time}Z`), timeZone)).toISOString();
}

/** The first instant after the as-of day ends in the zone (midnight starting the next day). */
export function endOfDay(date: IsoDate, timeZone: string): IsoInstant {
  return zonedToInstant(addDays(date, 1), '00:00:00', timeZone);
}

/** Today's date in a zone, from an instant the caller supplies (the CLI passes the clock). */
export function dateInZone(instant: Date, timeZone: string): IsoDate {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}
