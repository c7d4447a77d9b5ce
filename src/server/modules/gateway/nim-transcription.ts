// Transcription against an NVIDIA ASR NIM (services.parakeet.api: nim). The NIM's HTTP API takes
// `file`, `language` (BCP-47, required unless a NIM-internal `model` is named) and
// `response_format` json | text only, and answers `{"text"}`: word timestamps are gRPC-only. So
// the gateway sends the language (the request's, mapped from OpenAI's ISO-639-1, default en-US),
// always asks for json, and builds the client's format itself — text from the text; verbose_json,
// srt and vtt only from segments or word timestamps when the NIM returns them, otherwise a 400
// that says what this service cannot do.
import { AppError } from '../../platform/http/errors.js';

export const OPENAI_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'] as const;
export type TranscriptionFormat = (typeof OPENAI_FORMATS)[number];

/** OpenAI's ISO-639-1 codes → the BCP-47 locales NVIDIA's speech NIMs name their models by. */
const LOCALES: Record<string, string> = {
  en: 'en-US',
  es: 'es-US',
  de: 'de-DE',
  fr: 'fr-FR',
  it: 'it-IT',
  pt: 'pt-BR',
  ru: 'ru-RU',
  ja: 'ja-JP',
  ko: 'ko-KR',
  zh: 'zh-CN',
  hi: 'hi-IN',
  ar: 'ar-AR',
  nl: 'nl-NL',
  vi: 'vi-VN',
};
const NAMES: Record<string, string> = {
  en: 'english',
  es: 'spanish',
  de: 'german',
  fr: 'french',
  it: 'italian',
  pt: 'portuguese',
  ru: 'russian',
  ja: 'japanese',
  ko: 'korean',
  zh: 'chinese',
  hi: 'hindi',
  ar: 'arabic',
  nl: 'dutch',
  vi: 'vietnamese',
};

const bad = (message: string, param: string | null) =>
  new AppError('BAD_REQUEST', message, { details: { param } });

/** The `language` the NIM gets: `en` → `en-US`, a BCP-47 code as given, `multi` for multilingual models. */
export function nimLanguage(language: string | null | undefined): string {
  const l = (language ?? '').trim();
  if (l === '') return 'en-US';
  if (l.toLowerCase() === 'multi') return 'multi';
  const iso = /^([A-Za-z]{2})$/.exec(l);
  if (iso) {
    const locale = LOCALES[iso[1]!.toLowerCase()];
    if (locale) return locale;
    throw bad(
      `language "${l}" has no known NIM locale; send a BCP-47 code such as en-US or de-DE.`,
      'language',
    );
  }
  const bcp = /^([A-Za-z]{2,3})-([A-Za-z]{2}|\d{3})$/.exec(l);
  if (bcp) return `${bcp[1]!.toLowerCase()}-${bcp[2]!.toUpperCase()}`;
  throw bad(`language "${l.slice(0, 40)}" is not a language code (send e.g. en or en-US).`, 'language');
}

export function transcriptionFormat(value: string | null | undefined): TranscriptionFormat {
  const f = (value ?? 'json').trim() || 'json';
  if ((OPENAI_FORMATS as readonly string[]).includes(f)) return f as TranscriptionFormat;
  throw bad(
    `response_format must be one of ${OPENAI_FORMATS.join(', ')} (got "${f.slice(0, 40)}").`,
    'response_format',
  );
}

interface Word {
  word: string;
  start: number;
  end: number;
}
interface Segment {
  id: number;
  start: number;
  end: number;
  text: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function wordsOf(body: Obj): Word[] | null {
  if (!Array.isArray(body.words)) return null;
  const words = body.words.flatMap((w): Word[] => {
    if (!isObj(w) || typeof w.word !== 'string') return [];
    const start = num(w.start);
    const end = num(w.end);
    return start === null || end === null ? [] : [{ word: w.word.trim(), start, end }];
  });
  return words.length > 0 ? words : null;
}

function segmentsOf(body: Obj, words: Word[] | null): Segment[] | null {
  if (Array.isArray(body.segments)) {
    const segs = body.segments.flatMap((s, id): Segment[] => {
      if (!isObj(s) || typeof s.text !== 'string') return [];
      const start = num(s.start);
      const end = num(s.end);
      return start === null || end === null ? [] : [{ id, start, end, text: s.text }];
    });
    if (segs.length > 0) return segs;
  }
  if (!words) return null;
  // Sentences from word timestamps: a cue ends after terminal punctuation or a pause over 0.8 s.
  const out: Segment[] = [];
  let cur: Word[] = [];
  const flush = () => {
    if (cur.length === 0) return;
    out.push({
      id: out.length,
      start: cur[0]!.start,
      end: cur.at(-1)!.end,
      text: ` ${cur.map((w) => w.word).join(' ')}`,
    });
    cur = [];
  };
  words.forEach((w, i) => {
    cur.push(w);
    const next = words[i + 1];
    if (/[.!?]$/.test(w.word) || (next && next.start - w.end > 0.8)) flush();
  });
  flush();
  return out;
}

function stamp(seconds: number, sep: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${sep}${pad(ms % 1000, 3)}`;
}

export type ShapedAnswer =
  { kind: 'json'; body: unknown } | { kind: 'text'; text: string; contentType: string };

/**
 * The client's answer built from the NIM's JSON. `what` names the service in the 400 for formats
 * that need timestamps the NIM did not return.
 */
export function shapeNimAnswer(
  format: TranscriptionFormat,
  nim: unknown,
  o: { language: string; granularities: string[]; what: string },
): ShapedAnswer {
  const body = isObj(nim) ? nim : {};
  const text = typeof body.text === 'string' ? body.text : '';
  if (format === 'json') return { kind: 'json', body: { text } };
  if (format === 'text') return { kind: 'text', text, contentType: 'text/plain; charset=utf-8' };
  const words = wordsOf(body);
  const segments = segmentsOf(body, words);
  if (!segments) {
    throw bad(
      `response_format ${format} needs timestamps, and ${o.what} returns none over HTTP (the NVIDIA ASR NIM answers json or text only; word timestamps are gRPC-only). Use response_format json or text, or point services.parakeet at the Parakeet app (api: parakeet-app).`,
      'response_format',
    );
  }
  if (format === 'srt' || format === 'vtt') {
    const sep = format === 'srt' ? ',' : '.';
    const cues = segments.map(
      (s, i) =>
        `${format === 'srt' ? `${i + 1}\n` : ''}${stamp(s.start, sep)} --> ${stamp(s.end, sep)}\n${s.text.trim()}\n`,
    );
    const out = format === 'srt' ? cues.join('\n') : `WEBVTT\n\n${cues.join('\n')}`;
    return { kind: 'text', text: out, contentType: 'text/plain; charset=utf-8' };
  }
  const wantWords = o.granularities.length === 0 || o.granularities.includes('word');
  const wantSegments = o.granularities.length === 0 || o.granularities.includes('segment');
  if (wantWords && o.granularities.includes('word') && !words)
    throw bad(
      `timestamp_granularities[] word needs word timestamps, and ${o.what} returns only segments.`,
      'timestamp_granularities[]',
    );
  const base = o.language.split('-')[0]!.toLowerCase();
  return {
    kind: 'json',
    body: {
      task: 'transcribe',
      language: NAMES[base] ?? base,
      duration: num(body.duration) ?? segments.at(-1)!.end,
      text,
      ...(wantWords && words ? { words } : {}),
      ...(wantSegments
        ? {
            segments: segments.map((s) => ({
              id: s.id,
              seek: 0,
              start: s.start,
              end: s.end,
              text: s.text,
              tokens: [],
              temperature: 0,
              avg_logprob: 0,
              compression_ratio: 0,
              no_speech_prob: 0,
            })),
          }
        : {}),
    },
  };
}

/** The NIM's error text from its JSON (`error`, `detail`, `message`) or raw body. */
export function nimErrorText(body: Buffer): string {
  const raw = body.toString('utf8').slice(0, 2000);
  try {
    const j: unknown = JSON.parse(raw);
    if (isObj(j)) {
      for (const k of ['error', 'detail', 'message']) {
        const v = j[k];
        if (typeof v === 'string') return v;
        if (isObj(v) && typeof v.message === 'string') return v.message;
      }
    }
  } catch {
    // not JSON
  }
  return raw.trim() || 'no details';
}
