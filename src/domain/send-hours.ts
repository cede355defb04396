/**
 * Send hours (docs/spec.md: `SOLICIT_SEND_HOURS`): the part of each local day, in a marketplace's time zone, in
 * which eligibility checks and sends may happen.
 *
 * Safe inside the workflow sandbox: no Node built-ins, no clock; time zones come from `Intl`, so the same
 * arguments give the same instant on every replay (for as long as the time zone database has the same
 * rules for those dates).
 */

/** `from` is the first minute inside the hours, `to` the first minute after them. */
export interface SendHours {
  from: string;
  to: string;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * `HH:MM-HH:MM`, 24-hour clock, the end excluded. A range that ends earlier than it starts runs overnight
 * (`22:00-06:00`: from 22:00 to 06:00 the next morning), for sellers whose buyers read mail at night.
 * The same time at both ends means neither "never" nor clearly "always", so it is refused: leaving the
 * setting unset means any time. Undefined when the text is not such a range.
 */
export function parseSendHours(text: string): SendHours | undefined {
  const [from, to, extra] = text.split('-').map((part) => part.trim());
  if (from === undefined || to === undefined || extra !== undefined) return undefined;
  if (!HH_MM.test(from) || !HH_MM.test(to) || from === to) return undefined;
  return { from, to };
}

export function formatSendHours(hours: SendHours): string {
  return `${hours.from}-${hours.to}`;
}

/**
 * When a check due at `due` may run, in epoch milliseconds: `due` itself when it falls inside the hours;
 * otherwise the next opening, unless that is at or after `solicitBefore` (Amazon's window closes first).
 * Then it is the last opening before `solicitBefore`, which can be earlier than `due`: such a check is
 * late and runs at once.
 *
 * Local times that a daylight-saving change skips open at the first instant after the gap; local times
 * it repeats count from their first occurrence.
 */
export function sendableAt(due: number, hours: SendHours, zone: string, solicitBefore: number): number {
  const dueDay = localDay(due, zone);
  for (let offset = -1; offset <= 2; offset += 1) {
    const period = openPeriod(addDays(dueDay, offset), hours, zone);
    if (period.opens <= due && due < period.closes) return due;
    if (period.opens > due) {
      return period.opens < solicitBefore ? period.opens : lastOpeningBefore(solicitBefore, hours, zone);
    }
  }
  throw new RangeError(`no opening of the send hours ${formatSendHours(hours)} near ${new Date(due).toISOString()}`);
}

function lastOpeningBefore(instant: number, hours: SendHours, zone: string): number {
  const day = localDay(instant, zone);
  let last = Number.NEGATIVE_INFINITY;
  for (let offset = -2; offset <= 0; offset += 1) {
    const { opens } = openPeriod(addDays(day, offset), hours, zone);
    if (opens < instant) last = Math.max(last, opens);
  }
  return last;
}

/** A calendar day, as the wall clock of a zone shows it. */
interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** The open period that starts on a local day (ending the next day when the hours run overnight). */
function openPeriod(day: LocalDay, hours: SendHours, zone: string): { opens: number; closes: number } {
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  return {
    opens: instantOf(day, from, zone),
    closes: instantOf(to > from ? day : addDays(day, 1), to, zone),
  };
}

function minutesOf(time: string): number {
  const [hour, minute] = time.split(':').map(Number);
  return (hour ?? 0) * 60 + (minute ?? 0);
}

function addDays(day: LocalDay, days: number): LocalDay {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The wall-clock reading of an instant in a zone, as if that reading were UTC (whole seconds). */
function wallClock(instant: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

function localDay(instant: number, zone: string): LocalDay {
  const wall = new Date(wallClock(instant, zone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  return wallClock(instant, zone) - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant at which the zone's clock shows `minute` (of the day) on `day`, or, when a
 * daylight-saving change skips that time, the first instant after the gap.
 */
function instantOf(day: LocalDay, minute: number, zone: string): number {
  const wall = Date.UTC(day.year, day.month - 1, day.day) + minute * MINUTE_MS;
  // At most one change of offset lies within a day of any instant: the offsets before and after it.
  const candidates = [offsetAt(wall - DAY_MS, zone), offsetAt(wall + DAY_MS, zone)]
    .map((offset) => wall - offset)
    .filter((instant) => instant + offsetAt(instant, zone) === wall)
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  // In a gap: the change happened between these two readings; find its minute.
  let before = wall - offsetAt(wall + DAY_MS, zone);
  let after = wall - offsetAt(wall - DAY_MS, zone);
  if (before > after) [before, after] = [after, before];
  const offsetBefore = offsetAt(before, zone);
  while (after - before > MINUTE_MS) {
    const middle = before + Math.floor((after - before) / (2 * MINUTE_MS)) * MINUTE_MS;
    if (offsetAt(middle, zone) === offsetBefore) before = middle;
    else after = middle;
  }
  return after;
}
