import * as chrono from "chrono-node";

/** A date already in the form the corpus stores (`2025-03-15`, or with a time and offset). */
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** `03/04/2025`: day and month could be either way round. */
const SLASHED = /\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b/;

/**
 * A publication date as written anywhere (`15 March 2025`, `28 November, 2025`, `10/18/2024`,
 * `2025-03-15T09:30:00+02:00`) in ISO 8601: the date alone, or with the time (and its offset when
 * the text states one). Never a guess: a date without a stated year, month and day, a relative date
 * ("last Tuesday") or a slashed date whose day and month could be swapped gives "". Pure.
 */
export function normaliseDate(text: string): string {
  return findDate(text)?.iso ?? "";
}

/** The first complete date in `text`: its ISO form and the words that state it. Undefined when none (see `normaliseDate`). */
export function findDate(text: string): { iso: string; text: string } | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (ISO.test(t)) return { iso: t.replace(" ", "T"), text: t };
  const slashed = SLASHED.exec(t);
  if (slashed && Number(slashed[1]) <= 12 && Number(slashed[2]) <= 12 && slashed[1] !== slashed[2]) return undefined;
  // chrono.strict: no casual words ("yesterday", "tonight") that would date relative to the import day.
  const found = chrono.strict.parse(t, { instant: new Date(0), timezone: 0 }, { forwardDate: false })[0];
  if (!found) return undefined;
  const iso = toIso(found.start);
  return iso ? { iso, text: found.text } : undefined;
}

function toIso(s: chrono.ParsedComponents): string {
  if (!s.isCertain("year") || !s.isCertain("month") || !s.isCertain("day")) return "";
  const date = `${s.get("year")}-${pad(s.get("month")!)}-${pad(s.get("day")!)}`;
  if (!s.isCertain("hour")) return date;
  const time = `${date}T${pad(s.get("hour")!)}:${pad(s.get("minute") ?? 0)}:${pad(s.get("second") ?? 0)}`;
  if (!s.isCertain("timezoneOffset")) return time;
  const offset = s.get("timezoneOffset")!;
  const sign = offset < 0 ? "-" : "+";
  return `${time}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
