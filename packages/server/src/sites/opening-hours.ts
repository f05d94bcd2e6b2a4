import { WEEKDAYS, type OpeningHours, type Weekday } from '@direturn/protocol';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

interface WallClock { weekday: Weekday; minutes: number; y: number; m: number; d: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The site's local date, weekday and minute of the day at `at`. */
export function wallClock(at: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = (parts.weekday ?? 'Mon').slice(0, 3).toLowerCase() as Weekday;
  return { weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute), y: Number(parts.year), m: Number(parts.month), d: Number(parts.day) };
}

/** Epoch ms of a local wall-clock time in `timeZone` (the first such instant; a time skipped by DST moves on by the jump). */
function instantOf(y: number, m: number, d: number, minutes: number, timeZone: string): number {
  const naive = Date.UTC(y, m - 1, d, 0, minutes);
  let guess = naive;
  for (let i = 0; i < 3; i++) {
    const w = wallClock(guess, timeZone);
    const shown = Date.UTC(w.y, w.m - 1, w.d, 0, w.minutes);
    const next = guess + (naive - shown);
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

const periodsOf = (hours: OpeningHours, day: Weekday) =>
  (hours[day] ?? []).map((p) => ({ from: toMinutes(p.from), to: toMinutes(p.to) })).sort((a, b) => a.from - b.from);
const toMinutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/**
 * Whether the site is open at `at` and, if not, when it opens next (epoch ms; null when no day has
 * a period). `hours` null: always open. Times are the site's wall clock, so a DST change moves
 * them with the site's day.
 */
export function openingState(hours: OpeningHours | null, timeZone: string, at: number): { open: boolean; nextOpen: number | null; closesAt?: number } {
  if (!hours) return { open: true, nextOpen: null };
  const now = wallClock(at, timeZone);
  const today = periodsOf(hours, now.weekday);
  const current = today.find((p) => now.minutes >= p.from && now.minutes < p.to);
  // Open: `closesAt` is the end of this period (a visitor who stays past it is told then).
  if (current) {
    if (current.to < DAY_MINUTES) return { open: true, nextOpen: null, closesAt: instantOf(now.y, now.m, now.d, current.to, timeZone) };
    // "24:00": midnight at the start of the site's next day.
    const tomorrow = wallClock(instantOf(now.y, now.m, now.d, 12 * 60, timeZone) + DAY_MINUTES * MINUTE, timeZone);
    return { open: true, nextOpen: null, closesAt: instantOf(tomorrow.y, tomorrow.m, tomorrow.d, 0, timeZone) };
  }
  // Periods later today, then the next seven days (local dates counted from today's noon, safe across DST).
  const start = WEEKDAYS.indexOf(now.weekday);
  for (let offset = 0; offset <= 7; offset++) {
    const day = WEEKDAYS[(start + offset) % 7]!;
    const later = periodsOf(hours, day).filter((p) => offset > 0 || p.from > now.minutes);
    if (later.length === 0) continue;
    const noon = wallClock(instantOf(now.y, now.m, now.d, 12 * 60, timeZone) + offset * DAY_MINUTES * MINUTE, timeZone);
    return { open: false, nextOpen: Math.max(at + 1, instantOf(noon.y, noon.m, noon.d, later[0]!.from, timeZone)) };
  }
  return { open: false, nextOpen: null };
}
