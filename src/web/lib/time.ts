// Pure time formatting for swaps and locks: clocks, rough durations, local wall-clock times.

/** A stopwatch reading: "0:07", "2:31", "1:02:05". */
export function formatClock(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A rough duration for sentences: "45 s", "3 min", "1 h 5 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** The same, marked as an estimate: "~45 s", "~3 min". */
export function formatApprox(seconds: number | null | undefined): string {
  const d = formatDuration(seconds);
  return d === '—' ? d : `~${d}`;
}

export interface WhenOptions {
  locale?: string;
  timeZone?: string;
}

/** A local wall-clock time: "14:05" today, "Tue 4 Mar, 14:05" on another day. */
export function formatWhen(iso: string | null | undefined, now: number, opts: WhenOptions = {}): string {
  return localMoment(iso, now, false, opts);
}

/** "14:05:09" today, "Tue 4 Mar, 14:05:09" on another day: for exact moments (tooltips, logs). */
export function formatWhenPrecise(
  iso: string | null | undefined,
  now: number,
  opts: WhenOptions = {},
): string {
  return localMoment(iso, now, true, opts);
}

function localMoment(iso: string | null | undefined, now: number, seconds: boolean, opts: WhenOptions) {
  const t = iso ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(t)) return '—';
  const { locale, timeZone } = opts;
  const dayOf = (ms: number) => new Date(ms).toLocaleDateString('en-CA', { timeZone });
  const time = new Date(t).toLocaleTimeString(locale, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    timeZone,
  });
  if (dayOf(t) === dayOf(now)) return time;
  const day = new Date(t).toLocaleDateString(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone,
  });
  return `${day}, ${time}`;
}

/** An ISO 8601 moment with a time and a zone ("…T14:05:09.123Z", "…T14:05+02:00"). */
const ISO_MOMENT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})(?![\w:])/g;

/**
 * Server text (error messages, log lines) with every ISO 8601 moment in it said in local time:
 * "locked by x until 2025-03-04T14:05:00.000Z" → "locked by x until 15:05:00". Text without a
 * zone is left alone: it cannot be converted without guessing.
 */
export function localizeTimes(text: string, now: number, opts: WhenOptions = {}): string {
  return text.replace(ISO_MOMENT, (iso) =>
    Number.isFinite(Date.parse(iso)) ? formatWhenPrecise(iso, now, opts) : iso,
  );
}
