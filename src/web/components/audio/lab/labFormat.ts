// Pure helpers of the Audio lab (no DOM, no React; unit-tested in labFormat.test.ts): offsets in a
// recording, the speaker palette, the timeline lanes, progress by chunk and errors in plain words.
import type { JobInfo } from '../../../../common/api.js';
import type { SpeakersTranscript } from '../../../../common/audio-api.js';

/** An offset into the recording: "00:07", "12:31", "1:02:05" (mm:ss, h:mm:ss past an hour). */
export function formatOffset(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${String(m).padStart(2, '0')}:${sec}`;
}

/** How many colours the palette has (lab.css `.spk-0` … `.spk-7`); further speakers reuse them. */
export const PALETTE_SIZE = 8;

/**
 * A speaker's colour: its place in `speakers_detected` (order of first appearance), so it does not
 * change when the transcript is fetched again — not even when "Speaker_2" becomes "Alice", who
 * takes Speaker_2's place in that order.
 */
export function speakerColorIndex(speaker: string, detected: readonly string[]): number {
  const i = detected.indexOf(speaker);
  return (i < 0 ? detected.length : i) % PALETTE_SIZE;
}

/** A label the server made up (`Speaker_N`), as opposed to an enrolled name. */
export function isAnonymousSpeaker(speaker: string): boolean {
  return /^Speaker_\d+$/.test(speaker);
}

/** "Speaker_2" → "Speaker 2"; an enrolled name as it is. */
export function speakerDisplayName(speaker: string): string {
  return isAnonymousSpeaker(speaker) ? speaker.replace('_', ' ') : speaker;
}

export interface LaneTurn {
  start_ms: number;
  end_ms: number;
  /** Position on the bar, percent of the recording. */
  left: number;
  width: number;
}

export interface Lane {
  speaker: string;
  color: number;
  turns: LaneTurn[];
  /** Total speaking time. */
  total_ms: number;
}

/** One lane per speaker (in order of first appearance) with its turns; touching blocks join. */
export function timelineLanes(
  t: Pick<SpeakersTranscript, 'duration' | 'segments' | 'speakers_detected'>,
): Lane[] {
  const order = [...t.speakers_detected];
  for (const s of t.segments) if (!order.includes(s.speaker)) order.push(s.speaker);
  const lastEnd = t.segments.reduce((m, s) => Math.max(m, s.end_ms), 0);
  const span = Math.max(t.duration * 1000, lastEnd, 1);
  const pct = (ms: number) => Math.min(100, Math.max(0, (ms / span) * 100));
  return order.map((speaker) => {
    const spans: { start_ms: number; end_ms: number }[] = [];
    for (const s of t.segments) {
      if (s.speaker !== speaker) continue;
      const prev = spans[spans.length - 1];
      if (prev && s.start_ms <= prev.end_ms) prev.end_ms = Math.max(prev.end_ms, s.end_ms);
      else spans.push({ start_ms: s.start_ms, end_ms: s.end_ms });
    }
    return {
      speaker,
      color: speakerColorIndex(speaker, order),
      turns: spans.map((s) => ({ ...s, left: pct(s.start_ms), width: pct(s.end_ms) - pct(s.start_ms) })),
      total_ms: spans.reduce((sum, s) => sum + Math.max(0, s.end_ms - s.start_ms), 0),
    };
  });
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Chunks done and in all, from the job's meta (`chunks` or `chunks_total`; `chunks_done` or
 * `chunk` when the job says them, else its progress × chunks — chunk work is what moves it).
 */
export function chunkCounts(job: Pick<JobInfo, 'meta' | 'progress'>): { done: number; total: number } | null {
  const { meta } = job;
  const total = num(meta.chunks_total) ?? num(meta.chunks);
  if (total === null || total < 1) return null;
  const progress = num(job.progress);
  const done =
    num(meta.chunks_done) ?? num(meta.chunk) ?? (progress !== null ? Math.round(progress * total) : null);
  if (done === null) return null;
  return { done: Math.max(0, Math.min(total, done)), total };
}

/** A phase that only restates the counts ("3/18 chunks done"): the counts are said better below. */
const COUNT_PHASE = /^\s*\d+\s*(\/|of)\s*\d+\s+chunks?\b/i;

/** The line beside the bar: "Preparing the audio", "chunk 3 of 18", "merging · 18 of 18 chunks". */
export function progressText(job: Pick<JobInfo, 'state' | 'phase' | 'meta' | 'progress'>): string {
  const counts = chunkCounts(job);
  const parts: string[] = [];
  if (job.phase && !(counts && COUNT_PHASE.test(job.phase))) parts.push(job.phase);
  if (counts) {
    if (job.state === 'running' && counts.done < counts.total)
      parts.push(`chunk ${counts.done + 1} of ${counts.total}`);
    else parts.push(`${counts.done} of ${counts.total} chunk${counts.total === 1 ? '' : 's'}`);
  }
  return parts.join(' · ');
}

/** 0–100 from the job's progress, else from its chunk counts; null when unknown. */
export function progressPercent(job: Pick<JobInfo, 'state' | 'progress' | 'meta'>): number | null {
  if (job.state === 'succeeded') return 100;
  const p = num(job.progress);
  if (p !== null) return Math.round(Math.max(0, Math.min(1, p)) * 100);
  const counts = chunkCounts(job);
  return counts ? Math.round((counts.done / counts.total) * 100) : null;
}

/** `/api/audio/results/{id}` → `{id}` (what enrollment calls `result_id`). */
export function resultIdOf(resultUrl: string): string | null {
  const path = resultUrl.split(/[?#]/)[0] ?? '';
  const last = path.split('/').filter(Boolean).pop();
  return last ? decodeURIComponent(last) : null;
}

/** The result's address with a download format: `…/results/abc?response_format=srt`. */
export function downloadUrl(resultUrl: string, format: 'srt' | 'vtt' | 'text'): string {
  const sep = resultUrl.includes('?') ? '&' : '?';
  return `${resultUrl}${sep}response_format=${format}`;
}

/** The file name a download is saved under: "standup.wav" → "standup.srt". */
export function downloadName(fileName: string | null, format: 'srt' | 'vtt' | 'text'): string {
  const base = (fileName ?? 'transcript').replace(/\.[^./\\]{1,5}$/, '') || 'transcript';
  return `${base}.${format === 'text' ? 'txt' : format}`;
}

/** Whole seconds from a Retry-After header (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : null;
}

/** An audio route's refusal in plain words, the server's own message kept as the detail. */
export function plainAudioError(status: number, message: string, retryAfterS: number | null): string {
  const detail = message.trim();
  const withDetail = (lead: string) => (detail && detail !== lead ? `${lead} (${detail})` : lead);
  switch (status) {
    case 413:
      return withDetail('The file is larger than this server accepts.');
    case 415:
      return detail
        ? `This file cannot be read as audio here: ${detail}`
        : 'This file cannot be read as audio here: send WAV, or install ffmpeg on the Spark Control host (Debian: apt install ffmpeg) for other formats.';
    case 503: {
      const wait = retryAfterS !== null ? ` Try again in ${retryAfterS} s.` : ' Try again shortly.';
      return withDetail(`The speech service is busy or recovering.${wait}`);
    }
    case 0:
      return 'Cannot reach the Spark Control server.';
    default:
      return detail || `Request failed (HTTP ${status}).`;
  }
}
