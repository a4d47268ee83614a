import type { QuietHours } from './recipient-preferences';

/** Where an instant stands against a recipient's quiet hours. */
export type QuietHoursState = { quiet: false } | { quiet: true; until: Date };

interface Wall {
  /** Days since 1970-01-01 of the local calendar date. */
  day: number;
  /** Minutes since local midnight. */
  minute: number;
}

const MINUTE = 60_000;
const DAY_MINUTES = 1440;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Whether `at` falls inside the quiet hours, in their timezone (else `fallbackTimeZone`, the
 * profile's, else UTC), and if so the instant they end: the first instant after `at` whose wall
 * clock is no longer inside the window. The wall clock is the truth, so a DST change lengthens or
 * shortens a night (22:00–07:00 is 8 hours on the spring night), an end that falls in a skipped
 * hour ends when the clock jumps past it, and an end inside a repeated hour ends at its first
 * occurrence. Pure; the zone must be valid (the schemas check it). `start` after `end` crosses
 * midnight.
 */
export function quietHoursAt(
  quietHours: QuietHours,
  at: Date,
  fallbackTimeZone = 'UTC',
): QuietHoursState {
  const zone = quietHours.timezone ?? fallbackTimeZone;
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  const now = wallOf(at.getTime(), zone);
  const crossesMidnight = start > end;
  const inside = crossesMidnight
    ? now.minute >= start || now.minute < end
    : now.minute >= start && now.minute < end;
  if (!inside) return { quiet: false };
  const endDay = crossesMidnight && now.minute >= start ? now.day + 1 : now.day;
  return { quiet: true, until: new Date(firstInstantAtOrAfter(endDay, end, zone, at.getTime())) };
}

/**
 * The first instant after `after` whose wall clock in `zone` is at or past `day`/`minute`: the
 * earlier of two instants when the wall time repeats, the end of the gap when it was skipped.
 * Assumes at most one offset change within 14 hours of the wall time, as in every real zone.
 */
function firstInstantAtOrAfter(day: number, minute: number, zone: string, after: number): number {
  const target = day * DAY_MINUTES + minute;
  const naive = target * MINUTE;
  const candidates = [naive - 14 * 60 * MINUTE, naive + 14 * 60 * MINUTE]
    .map((probe) => naive - offsetAt(probe, zone))
    .filter((t) => t > after && wallMinutes(t, zone) === target)
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  // Skipped (or already passed): search, minute by minute in halves, for the first instant whose
  // wall clock is at or past the target, starting just after `after`.
  let low = Math.floor(after / MINUTE) + 1;
  let high = low + 2 * DAY_MINUTES;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (wallMinutes(mid * MINUTE, zone) >= target) high = mid;
    else low = mid + 1;
  }
  return low * MINUTE;
}

/** The zone's offset from UTC at `t`, in milliseconds (east positive). */
function offsetAt(t: number, zone: string): number {
  return wallMinutes(t, zone) * MINUTE - Math.floor(t / MINUTE) * MINUTE;
}

function wallMinutes(t: number, zone: string): number {
  const wall = wallOf(t, zone);
  return wall.day * DAY_MINUTES + wall.minute;
}

function wallOf(t: number, zone: string): Wall {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(t)) parts[part.type] = Number(part.value);
  const day = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1) / 86_400_000;
  return { day, minute: (parts.hour ?? 0) * 60 + (parts.minute ?? 0) };
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function minutesOf(hhmm: string): number {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}
