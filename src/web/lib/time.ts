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
  const t = iso ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(t)) return '—';
  const { locale, timeZone } = opts;
  const dayOf = (ms: number) => new Date(ms).toLocaleDateString('en-CA', { timeZone });
  const time = new Date(t).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  if (dayOf(t) === dayOf(now)) return time;
  const day = new Date(t).toLocaleDateString(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone,
  });
  return `${day}, ${time}`;
}
