import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateInZone, wallClockMs, zonedToInstant } from '../../src/util/time.js';

/** The wall clock as Intl formats it, uncached: what the cached wallClockMs must equal. */
function intlWallClock(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
}

const ZONES = [
  'America/Chicago',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Europe/Amsterdam',
  'Africa/Monrovia',
  'UTC',
];

describe('time zones', () => {
  it('the cached wall clock equals Intl at any instant, also around DST changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2199, 11, 31) }),
        fc.constantFrom(...ZONES),
        (ms, zone) => {
          expect(wallClockMs(ms, zone)).toBe(intlWallClock(ms, zone));
        },
      ),
      { numRuns: 3000 },
    );
    // Every minute around the 2026 US changes in Chicago (08 March and 01 November).
    for (const start of [Date.UTC(2026, 2, 8, 6), Date.UTC(2026, 10, 1, 5)]) {
      for (let ms = start; ms < start + 4 * 3_600_000; ms += 60_000) {
        expect(wallClockMs(ms, 'America/Chicago')).toBe(intlWallClock(ms, 'America/Chicago'));
      }
    }
  });

  it('dateInZone gives the local calendar date', () => {
    expect(dateInZone(new Date('2026-11-02T05:59:00Z'), 'America/Chicago')).toBe('2026-11-01');
    expect(dateInZone(new Date('2026-11-02T06:00:00Z'), 'America/Chicago')).toBe('2026-11-02');
    expect(dateInZone(new Date('2026-03-08T07:59:00Z'), 'America/New_York')).toBe('2026-03-08');
  });

  it('zonedToInstant takes the earlier instant of a repeated hour and moves a skipped one forward', () => {
    expect(zonedToInstant('2026-11-01', '01:30:00', 'America/Chicago')).toBe(
      '2026-11-01T06:30:00.000Z',
    );
    expect(zonedToInstant('2026-03-08', '02:30:00', 'America/Chicago')).toBe(
      '2026-03-08T08:30:00.000Z',
    );
    expect(zonedToInstant('2026-11-02', '00:00:00', 'America/Chicago')).toBe(
      '2026-11-02T06:00:00.000Z',
    );
  });
});
