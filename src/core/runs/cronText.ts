/**
 * A cron schedule in words ("Every day at 03:00", "Every 15 minutes on
 * weekdays"), for the Runs section's job definitions. Reads what
 * `parseCron` reads; a schedule it cannot put simply in words gets null, and
 * the caller shows the cron expression itself. No JupyterLab import.
 */
import { ICron, parseCron } from './runs';

const DAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday'
];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
];
/** More times than this in one day are not listed one by one. */
const MAX_LISTED_TIMES = 6;

function sorted(values: Set<number>): number[] {
  return [...values].sort((a, b) => a - b);
}

/** "a", "a and b", "a, b and c". */
function listing(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Whether `values` is every value from `min` to `max`. */
function isAll(values: number[], min: number, max: number): boolean {
  return values.length === max - min + 1;
}

/** Whether `values` are consecutive. */
function isRange(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v === values[i - 1] + 1);
}

/** The step of `values` when they are `*\/step` (from `min`, step > 1), else 0. */
function stepOf(values: number[], min: number, max: number): number {
  if (values.length < 2 || values[0] !== min) {
    return 0;
  }
  const step = values[1] - values[0];
  const even = values.every((v, i) => v === min + i * step);
  return step > 1 && even && values[values.length - 1] + step > max ? step : 0;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function clock(hour: number, minute: number): string {
  return `${pad(hour)}:${pad(minute)}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13
      ? 'th'
      : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** When in the day: "at 03:00", "every 15 minutes", "every hour from ..". */
function timePhrase(cron: ICron): { text: string; fixed: boolean } | null {
  const minutes = sorted(cron.minutes);
  const hours = sorted(cron.hours);
  const allMinutes = isAll(minutes, 0, 59);
  const allHours = isAll(hours, 0, 23);
  const hourRange =
    hours.length > 1 && isRange(hours)
      ? ` from ${clock(hours[0], 0)} to ${clock(hours[hours.length - 1], 59)}`
      : null;
  if (allMinutes) {
    if (allHours) {
      return { text: 'every minute', fixed: false };
    }
    return hourRange
      ? { text: `every minute${hourRange}`, fixed: false }
      : null;
  }
  const minuteStep = stepOf(minutes, 0, 59);
  if (minuteStep) {
    const every = `every ${minuteStep} minutes`;
    if (allHours) {
      return { text: every, fixed: false };
    }
    return hourRange ? { text: `${every}${hourRange}`, fixed: false } : null;
  }
  if (minutes.length === 1) {
    const m = minutes[0];
    const past = m ? ` at ${m} past the hour` : '';
    if (allHours) {
      return { text: `every hour${past}`, fixed: false };
    }
    const hourStep = stepOf(hours, 0, 23);
    if (hourStep) {
      return { text: `every ${hourStep} hours${past}`, fixed: false };
    }
  }
  if (allHours) {
    if (minutes.length <= MAX_LISTED_TIMES) {
      return {
        text: `every hour at ${listing(minutes.map(String))} minutes past`,
        fixed: false
      };
    }
    return null;
  }
  if (minutes.length * hours.length <= MAX_LISTED_TIMES) {
    const times = hours.flatMap(h => minutes.map(m => clock(h, m)));
    return { text: `at ${listing(times)}`, fixed: true };
  }
  if (minutes.length === 1 && hours.length > 1 && isRange(hours)) {
    const m = minutes[0];
    return {
      text: `every hour from ${clock(hours[0], m)} to ${clock(hours[hours.length - 1], m)}`,
      fixed: false
    };
  }
  return null;
}

function weekdayPhrase(weekdays: number[]): string {
  if (weekdays.join() === '1,2,3,4,5') {
    return 'on weekdays';
  }
  if (weekdays.join() === '0,6') {
    return 'on weekends';
  }
  if (weekdays.length >= 3 && isRange(weekdays)) {
    return `from ${DAY_NAMES[weekdays[0]]} to ${DAY_NAMES[weekdays[weekdays.length - 1]]}`;
  }
  return `on ${listing(weekdays.map(d => `${DAY_NAMES[d]}s`))}`;
}

function dayOfMonthPhrase(days: number[]): string {
  if (days.length >= 3 && isRange(days)) {
    return `from the ${ordinal(days[0])} to the ${ordinal(days[days.length - 1])} of the month`;
  }
  return `on the ${listing(days.map(ordinal))} of the month`;
}

function monthPhrase(months: number[]): string {
  if (isAll(months, 1, 12)) {
    return '';
  }
  if (months.length >= 3 && isRange(months)) {
    return `from ${MONTH_NAMES[months[0] - 1]} to ${MONTH_NAMES[months[months.length - 1] - 1]}`;
  }
  return `in ${listing(months.map(m => MONTH_NAMES[m - 1]))}`;
}

/**
 * The schedule in words, in the schedule's own time zone (which the caller
 * names), or null when it cannot be read or said simply.
 */
export function describeCron(schedule: string): string | null {
  const cron = parseCron(schedule);
  if (!cron) {
    return null;
  }
  const time = timePhrase(cron);
  if (!time) {
    return null;
  }
  // Cron's rule: with both day fields restricted, either one matching runs it.
  const days: string[] = [];
  if (!cron.anyDay) {
    days.push(dayOfMonthPhrase(sorted(cron.days)));
  }
  if (!cron.anyWeekday) {
    days.push(weekdayPhrase(sorted(cron.weekdays)));
  }
  const parts = [
    time.text,
    days.join(' and '),
    monthPhrase(sorted(cron.months))
  ]
    .filter(Boolean)
    .join(' ');
  const text =
    time.fixed && parts === time.text ? `every day ${time.text}` : parts;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
