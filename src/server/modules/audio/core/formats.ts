// A speakers transcript as the client asked for it: JSON (the default), SubRip, WebVTT or plain
// text. Subtitle cues carry the speaker: `Alice: …` in SRT (no voice markup there), a `<v Alice>`
// voice span in WebVTT.
import type { SpeakersTranscript, TranscriptFormat } from '../../../../common/audio-api.js';
import { AudioDataError } from './errors.js';

export const TRANSCRIPT_FORMATS: readonly TranscriptFormat[] = ['json', 'srt', 'vtt', 'text'];

function clock(ms: number, fractionSeparator: ',' | '.'): string {
  if (!Number.isFinite(ms) || ms < 0)
    throw new AudioDataError(`a cue time must be finite and ≥ 0 (got ${ms})`);
  const total = Math.round(ms);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  // Hours keep growing past 99 rather than wrapping (both formats allow more digits).
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${fractionSeparator}${pad(total % 1000, 3)}`;
}

/** `HH:MM:SS,mmm` (SubRip). */
export const srtTime = (ms: number) => clock(ms, ',');
/** `HH:MM:SS.mmm` (WebVTT). */
export const vttTime = (ms: number) => clock(ms, '.');

/** WebVTT cue text: `&` and `<` start markup and `-->` ends a cue header, so all three are escaped. */
const vttEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Cue text is one line: a blank line would end the cue early. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Cue times: a block of one zero-length word would give an empty cue (WebVTT requires the end
 * after the start), so a cue lasts at least 1 ms.
 */
function cueTimes(startMs: number, endMs: number): [number, number] {
  return [startMs, Math.max(endMs, startMs + 1)];
}

export function renderTranscript(
  t: SpeakersTranscript,
  format: TranscriptFormat,
): { body: string; contentType: string } {
  switch (format) {
    case 'json':
      return { body: JSON.stringify(t), contentType: 'application/json; charset=utf-8' };
    case 'srt': {
      const cues = t.segments.map((s, i) => {
        const [a, b] = cueTimes(s.start_ms, s.end_ms);
        return `${i + 1}\n${srtTime(a)} --> ${srtTime(b)}\n${oneLine(s.speaker)}: ${oneLine(s.text)}\n`;
      });
      return { body: cues.join('\n'), contentType: 'application/x-subrip; charset=utf-8' };
    }
    case 'vtt': {
      const cues = t.segments.map((s) => {
        const [a, b] = cueTimes(s.start_ms, s.end_ms);
        return `${vttTime(a)} --> ${vttTime(b)}\n<v ${vttEscape(oneLine(s.speaker))}>${vttEscape(oneLine(s.text))}\n`;
      });
      return { body: ['WEBVTT\n', ...cues].join('\n'), contentType: 'text/vtt; charset=utf-8' };
    }
    case 'text':
      return {
        body: t.segments.map((s) => `${oneLine(s.speaker)}: ${oneLine(s.text)}\n`).join(''),
        contentType: 'text/plain; charset=utf-8',
      };
    default: {
      const never: never = format;
      throw new AudioDataError(`unknown transcript format "${String(never)}"`);
    }
  }
}
